// The cache without HTTP: the exact tier (a hash of context and normalised text), then the
// semantic tier (nearest entries of the same partition above the threshold, checked by the guards
// and by the feedback blocks), and storing complete answers.
import { createHash } from 'node:crypto';
import type { Embedder } from '../embed/embedder.js';
import type { CachedCompletion } from '../openai/cached-completion.js';
import type { EntryStore, EvictReason, StoredEntry } from './entry-store.js';
import type { GuardStage } from './guards/index.js';
import { normalizeForExact } from './normalize.js';
import type { RequestKey } from './request-key.js';
import type { SemanticTier } from './semantic-tier.js';
import type { Neighbour } from '../index/vector-index.js';

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

export type LookupResult =
  | { readonly kind: 'exact-hit'; readonly entry: CacheEntry }
  | {
      readonly kind: 'semantic-hit';
      readonly entry: CacheEntry;
      readonly similarity: number;
      /** The similarity the hit was judged by: after the support guard's charge. */
      readonly supported: number;
      readonly timings: LookupTimings;
    }
  | { readonly kind: 'miss'; readonly vector: Float32Array | undefined; readonly rejection: GuardRejection | undefined; readonly timings: LookupTimings };

export interface LookupTimings {
  /** Wall time of the embedding call, queueing included. */
  readonly embedMs: number | undefined;
  /** What the model itself spent on this text: the embedding cost. */
  readonly embedComputeMs?: number;
  readonly searchMs: number | undefined;
}

/** Candidates looked at beyond the nearest: a guard-rejected nearest entry may hide a right one. */
const CANDIDATES = 4;

export interface CacheEngine {
  lookup(key: RequestKey, options: { lookup: boolean; threshold: number }): Promise<LookupResult>;
  store(key: RequestKey, completion: CachedCompletion, vector: Float32Array | undefined, meta: { tenant: string; model: string }): CacheEntry | undefined;
  /** Blocks one pairing: `prompt` never again gets entry `entryId` from the semantic tier. */
  block(entryId: number, prompt: string): void;
  /** Drops what is kept about an entry that left the cache (its feedback blocks). */
  forget(entryId: number): void;
  readonly blocks: number;
  readonly entries: EntryStore<EntryValue>;
  readonly semantic: SemanticTier;
  readonly embedder: Embedder;
}

export interface CacheEngineDeps {
  /** false: the exact tier only; nothing is embedded. */
  readonly semanticEnabled: boolean;
  readonly embedder: Embedder;
  readonly entries: EntryStore<EntryValue>;
  readonly semantic: SemanticTier;
  readonly guards: GuardStage;
  readonly onEmbedError?: (error: unknown) => void;
  /** Similarity margin of the ambiguity test (0: off). */
  readonly ambiguityMargin?: number;
}

function promptHash(prompt: string): string {
  return createHash('sha256').update(normalizeForExact(prompt)).digest('hex');
}

/** Feedback blocks kept per entry, at most: past it the oldest is forgotten. */
const MAX_BLOCKS_PER_ENTRY = 256;

/** A rough size of what an entry holds in memory, for the byte bound. */
function entryBytes(completion: CachedCompletion, text: string, vector: Float32Array | undefined, meta: { tenant: string; model: string }): number {
  const chars = JSON.stringify(completion).length + text.length + meta.tenant.length + meta.model.length;
  return chars * 2 + (vector?.byteLength ?? 0) + 512;
}

export function createCacheEngine(deps: CacheEngineDeps): CacheEngine {
  const { embedder, entries, semantic, guards } = deps;
  // Blocked prompts by entry: dropped with their entry, bounded per entry.
  const blocked = new Map<number, Set<string>>();
  let blockCount = 0;
  const margin = deps.ambiguityMargin ?? 0;

  /** A ratio test (as in feature matching): when the runner-up is almost as close as the nearest
   * entry, the query sits between two stored questions that were not hits of each other, and
   * either answer may be the wrong one. */
  function ambiguity(neighbours: readonly Neighbour[], threshold: number): GuardRejection | undefined {
    const [best, second] = neighbours;
    if (margin <= 0 || best === undefined || second === undefined || best.similarity < threshold) return undefined;
    if (second.similarity < best.similarity - margin) return undefined;
    return { guard: 'ambiguity', reason: `runner-up ${second.similarity.toFixed(4)} within ${margin} of ${best.similarity.toFixed(4)}`, similarity: best.similarity, entryId: best.label };
  }

  /** `text` is embedded; `prompt` (with its layout) is what guards and feedback blocks compare. */
  async function semanticLookup(key: RequestKey, text: string, prompt: string, options: { lookup: boolean; threshold: number }): Promise<LookupResult> {
    const embedStarted = performance.now();
    let vector: Float32Array | undefined;
    let embedComputeMs = 0;
    try {
      const timed = await embedder.embedTimed([text]);
      [vector] = timed.vectors;
      embedComputeMs = timed.computeMs;
    } catch (error) {
      // A failing embedder degrades the cache to its exact tier; the request is still answered.
      deps.onEmbedError?.(error);
      return { kind: 'miss', vector: undefined, rejection: undefined, timings: { embedMs: undefined, searchMs: undefined } };
    }
    const embedMs = performance.now() - embedStarted;
    if (!options.lookup || vector === undefined) return { kind: 'miss', vector, rejection: undefined, timings: { embedMs, embedComputeMs, searchMs: undefined } };

    const searchStarted = performance.now();
    const neighbours = semantic.search(key.context, vector, CANDIDATES);
    const ambiguous = ambiguity(neighbours, options.threshold);
    if (ambiguous !== undefined) return { kind: 'miss', vector, rejection: ambiguous, timings: { embedMs, embedComputeMs, searchMs: performance.now() - searchStarted } };
    let rejection: GuardRejection | undefined;
    for (const { label, similarity } of neighbours) {
      if (similarity < options.threshold) break;
      if (blocked.get(label)?.has(promptHash(prompt)) === true) continue;
      const entry = entries.getById(label);
      if (entry === undefined) continue;
      const verdict = guards.check(prompt, entry.value.text, { similarity, threshold: options.threshold });
      if (verdict.pass) {
        const touched = entries.getById(label, { touch: true }) ?? entry;
        const supported = verdict.supported ?? similarity;
        return { kind: 'semantic-hit', entry: touched, similarity, supported, timings: { embedMs, embedComputeMs, searchMs: performance.now() - searchStarted } };
      }
      rejection ??= { guard: verdict.guard, reason: verdict.reason, similarity, entryId: label };
    }
    return { kind: 'miss', vector, rejection, timings: { embedMs, embedComputeMs, searchMs: performance.now() - searchStarted } };
  }

  return {
    async lookup(key, options) {
      if (options.lookup) {
        const exact = entries.getByKey(key.exactKey, { touch: true });
        if (exact !== undefined) return { kind: 'exact-hit', entry: exact };
      }
      // A prompt too long for the guards to check gets no semantic hit: not worth embedding.
      if (key.semanticText === undefined || key.promptText === undefined || !deps.semanticEnabled || guards.tooLong(key.promptText)) {
        return { kind: 'miss', vector: undefined, rejection: undefined, timings: { embedMs: undefined, searchMs: undefined } };
      }
      return semanticLookup(key, key.semanticText, key.promptText, options);
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
      const entry = entries.insert({ key: key.exactKey, partition: key.context, bytes: entryBytes(completion, text, vector, meta), value });
      if (entry !== undefined && vector !== undefined) semantic.add(key.context, entry.id, vector);
      return entry;
    },
    block(entryId, prompt) {
      const prompts = blocked.get(entryId) ?? new Set<string>();
      blocked.set(entryId, prompts);
      const hash = promptHash(prompt);
      if (prompts.has(hash)) return;
      prompts.add(hash);
      blockCount += 1;
      if (prompts.size > MAX_BLOCKS_PER_ENTRY) {
        const oldest = prompts.values().next().value;
        if (oldest !== undefined) prompts.delete(oldest);
        blockCount -= 1;
      }
    },
    forget(entryId) {
      blockCount -= blocked.get(entryId)?.size ?? 0;
      blocked.delete(entryId);
    },
    get blocks() {
      return blockCount;
    },
    entries,
    semantic,
    embedder,
  };
}

/** The eviction hook that keeps the semantic tier in step with the entry store. */
export function removeVectorOnEvict(semantic: () => SemanticTier): (entry: CacheEntry, reason: EvictReason) => void {
  return (entry) => {
    if (entry.value.hasVector) semantic().remove(entry.partition, entry.id);
  };
}
