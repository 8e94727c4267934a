// The semantic tier follows the store: what it stores, loads or hears of from another replica is
// indexed, what leaves it for any reason is dropped. Two kinds of vectors wait before they are in
// the tier: the ones loaded at start that a saved index lacked (the backlog, indexed in the
// background in slices, reported as the index's lag), and new entries (indexed once the turn of the
// event loop that stored them ends, or before the next search, whichever comes first: inserting
// into a large HNSW partition takes milliseconds, and a miss's answer need not wait for it).
import type { EvictReason, StoreChange } from '../store/store.js';
import type { EntryValue } from './cache-engine.js';
import type { SemanticTier } from './semantic-tier.js';

/** Indexing the loaded vectors yields the event loop this often, so requests go on meanwhile. */
const BACKLOG_SLICE_MS = 8;

export interface IndexFollower {
  /** The store's change listener. */
  follow(change: StoreChange<EntryValue>): void;
  /** Runs the store's load (`subscribe` replays what it holds to `follow`); drops what the saved
   * index holds and the store no longer does, and queues what the index lacks. */
  load(subscribe: (listener: (change: StoreChange<EntryValue>) => void) => Promise<void>): Promise<void>;
  /** Indexes the new entries still waiting: a search must see every entry stored before it. */
  catchUp(): void;
  /** Loaded entries not yet in the tier. */
  readonly lag: number;
  /** Whether a search of the partition could find anything: false only when the tier holds nothing
   * there and no vector is waiting anywhere (while the load's backlog lasts, any partition may). */
  mayHold(partition: string): boolean;
}

export interface FollowerDeps {
  readonly semantic: SemanticTier;
  readonly embedder: { readonly modelId: string; readonly dimension: number };
  readonly onEvict?: ((reason: EvictReason) => void) | undefined;
}

interface Waiting {
  readonly partition: string;
  readonly vector: Float32Array;
}

export function createIndexFollower({ semantic, embedder, onEvict }: FollowerDeps): IndexFollower {
  const backlog = new Map<number, Waiting>();
  const fresh = new Map<number, Waiting>();
  let freshScheduled = false;
  // While the store loads: the ids it holds, to drop what the saved index has and the store lost.
  let loaded: Set<number> | undefined;
  let draining: NodeJS.Timeout | undefined;

  function drain(): void {
    draining = undefined;
    const until = performance.now() + BACKLOG_SLICE_MS;
    for (const [id, { partition, vector }] of backlog) {
      backlog.delete(id);
      semantic.add(partition, id, vector);
      if (performance.now() > until) break;
    }
    if (backlog.size > 0) draining = setTimeout(drain, 0).unref();
  }

  function catchUp(): void {
    for (const [id, { partition, vector }] of fresh) semantic.add(partition, id, vector);
    fresh.clear();
  }

  function follow(change: StoreChange<EntryValue>): void {
    if (change.kind === 'added') {
      const { entry, vector } = change;
      loaded?.add(entry.id);
      // Entries another embedding model made (the store outlived a change of SEMCACHE_EMBEDDER) keep
      // serving exact hits; their vectors are never compared with this model's.
      if (vector === undefined || !entry.value.hasVector || entry.value.embedderId !== embedder.modelId || vector.length !== embedder.dimension) return;
      if (loaded !== undefined) {
        if (!semantic.has(entry.partition, entry.id)) backlog.set(entry.id, { partition: entry.partition, vector });
        return;
      }
      fresh.set(entry.id, { partition: entry.partition, vector });
      if (freshScheduled) return;
      freshScheduled = true;
      setImmediate(() => {
        freshScheduled = false;
        catchUp();
      });
    } else if (change.kind === 'removed') {
      backlog.delete(change.id);
      fresh.delete(change.id);
      semantic.remove(change.partition, change.id);
      onEvict?.(change.reason);
    }
  }

  return {
    follow,
    async load(subscribe) {
      loaded = new Set();
      try {
        await subscribe(follow);
        const seen = loaded;
        for (const [partition, index] of [...semantic.promoted()]) {
          for (const label of [...index.labels()]) if (!seen.has(label)) semantic.remove(partition, label);
        }
      } finally {
        loaded = undefined;
      }
      if (backlog.size > 0) draining ??= setTimeout(drain, 0).unref();
    },
    catchUp,
    mayHold(partition) {
      if (backlog.size > 0) return true;
      for (const waiting of fresh.values()) if (waiting.partition === partition) return true;
      return semantic.holds(partition);
    },
    get lag() {
      return backlog.size;
    },
  };
}
