// The keys one deployment uses on a Redis, all under its prefix (SEMCACHE_STORE_PREFIX), so two
// deployments on one Redis never see each other's entries.

export interface RedisKeys {
  /** An entry, by its exact-tier key: a hash (see redis-codec.ts), expiring with the entry. */
  entry(exactKey: string): string;
  /** An entry's exact-tier key, by id: admin reads and semantic candidates of entries heard of. */
  byId(id: number): string;
  /** The feedback blocks of an entry: a set of prompt hashes, expiring with it. */
  blocks(id: number): string;
  /** The change log every replica follows (a stream). */
  readonly log: string;
  /** The next free entry id (replicas take ids in blocks). */
  readonly nextId: string;
  /** SCAN pattern of every entry. */
  readonly entryPattern: string;
  /** SCAN pattern of every key of the deployment. */
  readonly allPattern: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    entry: (exactKey) => `${prefix}:e:${exactKey}`,
    byId: (id) => `${prefix}:id:${id}`,
    blocks: (id) => `${prefix}:b:${id}`,
    log: `${prefix}:log`,
    nextId: `${prefix}:next-id`,
    entryPattern: `${prefix}:e:*`,
    allPattern: `${prefix}:*`,
  };
}
