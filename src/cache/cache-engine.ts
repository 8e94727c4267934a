// The cache without HTTP. It owns the entries (bounded by count, bytes and age), their vectors in
// the semantic tier and the feedback blocks, and keeps the three in step. A lookup tries the exact
// tier (a hash of context and normalised text), then the semantic tier: the nearest entries of the
// same partition above the threshold, checked by the guards and the feedback blocks.
import { createHash } from 'node:crypto';
import type { Embedder } from '../embed/embedder.js';
import type { Neighbour } from '../index/vector-index.js';
import type { CachedCompletion } from '../openai/cached-completion.js';
import type { EvictReason, Store, StoredEntry, StoreHealth } from '../store/store.js';
import type { GuardStage } from './guards/index.js';
import { normalizeForExact } from './normalize.js';
import type { RequestKey } from './request-key.js';
import { createSemanticTier } from './semantic-tier.js';
import { adoptSnapshot, readSnapshot, saveSnapshot, type ReadSnapshot, type SnapshotLoad } from './index-snapshot.js';
import { createIndexFollower } from './index-follower.js';
import { inNamespace } from './tenant.js';

export interface EntryValue {
  readonly completion: CachedCompletion;
  /** The prompt text the answer was made for, with its layout ('' when only the exact tier holds it). */
  readonly text: string;
  readonly tenant: string;
  readonly endpoint: CachedCompletion['endpoint'];
  readonly model: string;
  readonly embedderId: string;
  readonly hasVector: boolean;
}

export type CacheEntry = StoredEntry<EntryValue>;

export interface GuardRejection {
  readonly guard: string;
  readonly reason: string;
  readonly similarity: number;
  readonly entryId: number;
}

export interface LookupTimings {
  /** Wall time of the embedding call, queueing included. */
  readonly embedMs: number | undefined;
  /** What the model itself spent on this text: the embedding cost. */
  readonly embedComputeMs?: number;
  readonly searchMs: number | undefined;
}

export const NOTHING_TIMED: LookupTimings = Object.freeze({ embedMs: undefined, searchMs: undefined });

export interface Hit {
  readonly kind: 'exact-hit' | 'semantic-hit';
  readonly entry: CacheEntry;
  /** Cosine similarity of the prompts (1 for an exact hit). */
  readonly similarity: number;
  /** The similarity the hit was judged by: after the support guard's charge. */
  readonly supported: number;
  readonly timings: LookupTimings;
}

/** A prompt's embedding and what it took; no vector when the embedder failed. */
export interface Embedded {
  readonly vector: Float32Array | undefined;
  readonly timings: LookupTimings;
}

export interface Miss {
  readonly kind: 'miss';
  /** The prompt's embedding, to store with the answer; undefined when it was not embedded (yet). */
  readonly vector: Float32Array | undefined;
  /** When nothing could be found (the partition holds no vector, or no lookup was asked for), the
   * prompt is embedded while the request goes upstream: its vector, to store the answer with. */
  readonly later?: Promise<Embedded>;
  /** The guard that refused the nearest candidate above the threshold, if one did. */
  readonly rejection: GuardRejection | undefined;
  readonly timings: LookupTimings;
}

export type LookupResult = Hit | Miss;

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly vectors: number;
  readonly partitions: number;
  readonly indexBytes: number;
  readonly feedbackBlocks: number;
  readonly embedderId: string;
}

export interface EntryQuery {
  /** Text the prompt contains, case aside. */
  readonly text?: string | undefined;
  readonly tenant?: string | undefined;
  /** Only entries with an id below this one: the next page of a listing, newest first. */
  readonly before?: number | undefined;
  readonly limit: number;
}

export interface CacheEngine {
  /** Names the embedding model: part of every key, so vectors of two models are never compared. */
  readonly embedderId: string;
  /** Takes in what the store already holds: the saved index (read from `indexDir`, or read already
   * as `snapshot`) is adopted when it was saved for this model, and the vectors it lacks are
   * indexed in the background (the exact tier serves at once). */
  open(options?: { indexDir?: string | undefined; snapshot?: ReadSnapshot | string | undefined }): Promise<SnapshotLoad | undefined>;
  /** Saves the semantic index into `dir` (read back by `open`), serving meanwhile; one save at a time. */
  saveIndex(dir: string): Promise<void>;
  /** Entries whose vectors are not in the index yet: how far the index is behind the store. */
  indexLag(): number;
  health(): StoreHealth;
  /** `store: false`: the answer will not be stored, so a prompt with nothing to find is not embedded. */
  lookup(key: RequestKey, threshold: number, options?: { readonly store?: boolean }): Promise<LookupResult>;
  /** Starts embedding the prompt without looking anything up (a fresh answer was asked for), to
   * store the answer with it: the miss carries the embedding in progress (`later`). */
  prepareMiss(key: RequestKey): Promise<Miss>;
  store(key: RequestKey, completion: CachedCompletion, vector: Float32Array | undefined, meta: { tenant: string; model: string }): CacheEntry | undefined;
  get(id: number): Promise<CacheEntry | undefined>;
  /** Entries matching the query, newest first (for operators: a scan of every entry). */
  list(query: EntryQuery): Promise<CacheEntry[]>;
  delete(id: number): Promise<boolean>;
  /** Removes the entries of a namespace (shared, or under any key); returns how many. */
  flushNamespace(namespace: string): Promise<number>;
  clear(): Promise<number>;
  sweepExpired(): Promise<number>;
  /** Blocks one pairing: `prompt` never again gets entry `entryId` from the semantic tier. */
  block(entryId: number, prompt: string): Promise<void>;
  stats(): CacheStats;
}

export interface CacheEngineDeps {
  /** false: the exact tier only; nothing is embedded. */
  readonly semanticEnabled: boolean;
  readonly embedder: Embedder;
  readonly guards: GuardStage;
  readonly store: Store<EntryValue>;
  /** Told of every entry that leaves the cache, whatever the cause. */
  readonly onEvict?: (reason: EvictReason) => void;
  readonly onEmbedError?: (error: unknown) => void;
  /** Similarity margin of the ambiguity test (0: off). */
  readonly ambiguityMargin?: number;
  /** Entries at which a partition leaves its flat index for HNSW (semantic-tier.ts). */
  readonly promoteAt?: number;
}

/** Candidates looked at beyond the nearest: a guard-rejected nearest entry may hide a right one. */
const CANDIDATES = 4;

/** A rough size of what an entry holds in memory, for the byte bound. */
function entryBytes(completion: CachedCompletion, text: string, vector: Float32Array | undefined, meta: { tenant: string; model: string }): number {
  const chars = JSON.stringify(completion).length + text.length + meta.tenant.length + meta.model.length;
  return chars * 2 + (vector?.byteLength ?? 0) + 512;
}

function missOf(vector: Float32Array | undefined, timings: LookupTimings, rejection?: GuardRejection): Miss {
  return { kind: 'miss', vector, rejection, timings };
}

/** A miss whose prompt is still being embedded (never rejects: a failed embedding gives no vector). */
function embeddedLater(embedding: Promise<Embedded | undefined>): Miss {
  return { ...missOf(undefined, NOTHING_TIMED), later: embedding.then((done) => done ?? { vector: undefined, timings: NOTHING_TIMED }) };
}

/** Feedback blocks compare prompts in their exact-tier form. */
function promptHash(prompt: string): string {
  return createHash('sha256').update(normalizeForExact(prompt)).digest('hex');
}

export function createCacheEngine(deps: CacheEngineDeps): CacheEngine {
  const { embedder, guards, store } = deps;
  const margin = deps.ambiguityMargin ?? 0;
  const semantic = createSemanticTier({ dimension: embedder.dimension, ...(deps.promoteAt === undefined ? {} : { promoteAt: deps.promoteAt }) });

  const follower = createIndexFollower({ semantic, embedder, onEvict: deps.onEvict });

  async function open(options: { indexDir?: string | undefined; snapshot?: ReadSnapshot | string | undefined } = {}): Promise<SnapshotLoad | undefined> {
    const model = { embedderId: embedder.modelId, dimension: embedder.dimension };
    const read = options.snapshot ?? (options.indexDir === undefined ? undefined : readSnapshot(options.indexDir));
    const snapshot = read === undefined ? undefined : adoptSnapshot(read, semantic, model);
    await follower.load((listener) => store.subscribe(listener, { needsVector: (id, partition) => !semantic.has(partition, id) }));
    return snapshot;
  }

  /** A ratio test (as in feature matching): when the runner-up is almost as close as the nearest
   * entry, the query sits between two stored questions that were not hits of each other, and
   * either answer may be the wrong one. */
  function ambiguity(neighbours: readonly Neighbour[], threshold: number): GuardRejection | undefined {
    const [best, second] = neighbours;
    if (margin <= 0 || best === undefined || second === undefined || best.similarity < threshold) return undefined;
    if (second.similarity < best.similarity - margin) return undefined;
    return {
      guard: 'ambiguity',
      reason: `runner-up ${second.similarity.toFixed(4)} within ${margin} of ${best.similarity.toFixed(4)}`,
      similarity: best.similarity,
      entryId: best.label,
    };
  }

  /** Whether the semantic tier may see this prompt: a prompt too long for the guards to check gets
   * no semantic hit, so it is not worth embedding. */
  function matchable(key: RequestKey): key is RequestKey & { semanticText: string; promptText: string } {
    return key.semanticText !== undefined && key.promptText !== undefined && deps.semanticEnabled && !guards.tooLong(key.promptText);
  }

  async function embed(text: string): Promise<Embedded | undefined> {
    const started = performance.now();
    try {
      const timed = await embedder.embedTimed([text]);
      return { vector: timed.vectors[0], timings: { embedMs: performance.now() - started, embedComputeMs: timed.computeMs, searchMs: undefined } };
    } catch (error) {
      // A failing embedder degrades the cache to its exact tier; the request is still answered.
      deps.onEmbedError?.(error);
      return undefined;
    }
  }

  /** `semanticText` is embedded; `promptText` (with its layout) is what guards and feedback blocks compare. */
  async function semanticLookup(
    key: RequestKey & { semanticText: string; promptText: string },
    threshold: number,
    started?: ReturnType<typeof embed>,
  ): Promise<LookupResult> {
    const embedded = await (started ?? embed(key.semanticText));
    if (embedded?.vector === undefined) return missOf(undefined, embedded?.timings ?? NOTHING_TIMED);
    const { vector } = embedded;
    const searchStarted = performance.now();
    const timed = (): LookupTimings => ({ ...embedded.timings, searchMs: performance.now() - searchStarted });
    follower.catchUp();
    const neighbours = semantic.search(key.context, vector, CANDIDATES);
    const ambiguous = ambiguity(neighbours, threshold);
    if (ambiguous !== undefined) return missOf(vector, timed(), ambiguous);
    let rejection: GuardRejection | undefined;
    const hash = promptHash(key.promptText);
    for (const { label, similarity } of neighbours) {
      if (similarity < threshold) break;
      if (store.isBlocked(label, hash)) continue;
      const entry = await store.getById(label);
      if (entry === undefined) continue;
      const verdict = guards.check(key.promptText, entry.value.text, { similarity, threshold });
      if (verdict.pass) {
        const touched = store.use(entry);
        return { kind: 'semantic-hit', entry: touched, similarity, supported: verdict.supported ?? similarity, timings: timed() };
      }
      rejection ??= { guard: verdict.guard, reason: verdict.reason, similarity, entryId: label };
    }
    return missOf(vector, timed(), rejection);
  }

  return {
    embedderId: embedder.modelId,
    open,
    async saveIndex(dir) {
      follower.catchUp();
      await saveSnapshot(dir, semantic, { embedderId: embedder.modelId, dimension: embedder.dimension });
    },
    indexLag: () => follower.lag,
    health: () => store.health(),
    async lookup(key, threshold, options = {}) {
      // A remote store's exact read is a network round trip: unless the key looks like an exact hit,
      // the prompt is embedded meanwhile, so a semantic hit or a miss does not wait for both in turn.
      const early = store.remote && matchable(key) && !store.likelyHolds(key.exactKey) ? embed(key.semanticText) : undefined;
      const exact = await store.getByKey(key.exactKey, { touch: true });
      if (exact !== undefined) return { kind: 'exact-hit', entry: exact, similarity: 1, supported: 1, timings: NOTHING_TIMED };
      if (!matchable(key)) return missOf(undefined, NOTHING_TIMED);
      // Nothing to compare with (a new conversation, tenant or set of parameters): no search can
      // hit, so the request need not wait for the embedding, which only the stored entry needs.
      if (!follower.mayHold(key.context)) return options.store === false ? missOf(undefined, NOTHING_TIMED) : embeddedLater(early ?? embed(key.semanticText));
      return semanticLookup(key, threshold, early);
    },
    async prepareMiss(key) {
      return matchable(key) ? embeddedLater(embed(key.semanticText)) : missOf(undefined, NOTHING_TIMED);
    },
    store(key, completion, vector, meta) {
      const text = key.promptText ?? '';
      const value: EntryValue = {
        completion,
        text,
        tenant: meta.tenant,
        endpoint: completion.endpoint,
        model: meta.model,
        embedderId: embedder.modelId,
        hasVector: vector !== undefined,
      };
      return store.insert({ key: key.exactKey, partition: key.context, bytes: entryBytes(completion, text, vector, meta), value, vector });
    },
    get: (id) => store.getById(id),
    list(query) {
      const text = query.text?.toLowerCase();
      return store.list(
        query,
        (entry) => (query.tenant === undefined || entry.value.tenant === query.tenant) && (text === undefined || entry.value.text.toLowerCase().includes(text)),
      );
    },
    delete: (id) => store.delete(id),
    flushNamespace: (namespace) => store.deleteWhere((entry) => inNamespace(entry.value.tenant, namespace)),
    clear: () => store.clear(),
    sweepExpired: () => store.sweepExpired(),
    block: (entryId, prompt) => store.block(entryId, promptHash(prompt)),
    stats() {
      follower.catchUp();
      const held = store.stats();
      return {
        entries: held.entries,
        bytes: held.bytes,
        vectors: semantic.size,
        partitions: semantic.partitions,
        indexBytes: semantic.bytes,
        feedbackBlocks: held.blocks,
        embedderId: embedder.modelId,
      };
    },
  };
}
