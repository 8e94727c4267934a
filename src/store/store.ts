// Where the cache's entries live, behind one interface the cache engine uses: in this process's
// memory, in a SQLite file (durable: it survives restarts), or in Redis (shared by a fleet of
// replicas). The engine keeps the vectors of the semantic tier itself, fed by the store's changes;
// a store keeps each entry's vector only to give it back when the engine starts.
import type { EvictReason, NewEntry, StoredEntry } from './entry-store.js';

export type { EvictReason, StoredEntry } from './entry-store.js';

export interface NewStoreEntry<V> extends NewEntry<V> {
  /** The prompt's embedding, kept so that the semantic tier can be rebuilt; undefined when none. */
  readonly vector: Float32Array | undefined;
}

/** What a store tells the engine: entries that arrived (stored here, loaded, or stored by another
 * replica) and entries that left, whatever the cause. */
export type StoreChange<V> =
  | { readonly kind: 'added'; readonly entry: StoredEntry<V>; readonly vector: Float32Array | undefined }
  | { readonly kind: 'removed'; readonly id: number; readonly partition: string; readonly reason: EvictReason }
  | { readonly kind: 'blocked'; readonly entryId: number; readonly promptHash: string };

export interface ListQuery {
  /** Only entries with an id below this one: the next page of a listing, newest first. */
  readonly before?: number | undefined;
  readonly limit: number;
}

export interface StoreHealth {
  /** `degraded`: the store cannot be reached or written; the cache serves what this process holds. */
  readonly state: 'ok' | 'degraded';
  readonly detail?: string;
  /** Redis: milliseconds between another replica's change and this one applying it (last batch). */
  readonly lagMs?: number;
  /** Writes that failed since start (their entries stayed in this process only). */
  readonly writeErrors?: number;
}

export interface StoreStats {
  readonly entries: number;
  readonly bytes: number;
  readonly blocks: number;
}

export interface SubscribeOptions {
  /** Whether the engine needs an entry's vector (it may have it from a saved index already). */
  readonly needsVector?: (id: number, partition: string) => boolean;
}

export interface GetOptions {
  /** Marks the entry used: counts a hit and makes it most recently used. */
  readonly touch?: boolean;
}

export interface Store<V> {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  /** Reads are network round trips (Redis), not memory reads. */
  readonly remote: boolean;
  /** A local hint, without a read: whether the store is likely to hold this exact key (a remote
   * store's replica knows the keys its change log told it of). */
  likelyHolds(key: string): boolean;
  /** Registers the engine's listener; the entries the store already holds are then sent as
   * `added`, with their vectors where `needsVector` says the engine lacks them. */
  subscribe(listener: (change: StoreChange<V>) => void, options?: SubscribeOptions): Promise<void>;
  getByKey(key: string, options?: GetOptions): Promise<StoredEntry<V> | undefined>;
  getById(id: number, options?: GetOptions): Promise<StoredEntry<V> | undefined>;
  /** Marks an entry just read as used (a hit); returns it as it is now. */
  use(entry: StoredEntry<V>): StoredEntry<V>;
  /** Stores an entry under a new id; an entry of the same key is replaced. Undefined when the entry
   * alone is larger than the byte bound, or the store cannot take it now. Synchronous, so that a
   * whole answer's headers can name its entry: a durable or shared store writes it in the
   * background (a miss's response never waits for the write). */
  insert(entry: NewStoreEntry<V>): StoredEntry<V> | undefined;
  delete(id: number): Promise<boolean>;
  /** Removes every entry the predicate accepts; returns how many. */
  deleteWhere(predicate: (entry: StoredEntry<V>) => boolean): Promise<number>;
  clear(): Promise<number>;
  sweepExpired(): Promise<number>;
  /** Entries the predicate accepts, newest first. */
  list(query: ListQuery, predicate: (entry: StoredEntry<V>) => boolean): Promise<StoredEntry<V>[]>;
  /** Feedback: `promptHash` never again gets entry `entryId`. */
  block(entryId: number, promptHash: string): Promise<void>;
  isBlocked(entryId: number, promptHash: string): boolean;
  stats(): StoreStats;
  health(): StoreHealth;
  /** Writes what is pending and lets go of files and connections. */
  close(): Promise<void>;
}
