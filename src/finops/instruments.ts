// Every Prometheus series semcache exports, registered on the app's own Registry (never the
// global one, so several apps in one process do not collide). Names follow Prometheus naming:
// semcache_ prefix, base units (seconds, USD), `_total` written out on counters. Labels take
// bounded values only (see labels.ts).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** From 0.5 ms (exact hits) to 60 s (long generations). */
export const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];
export const SIMILARITY_BUCKETS = [0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 1];

/** Values computed when Prometheus scrapes, not on the request path. */
export interface ScrapeSource {
  /** Books spend that is settled late (measured-throughput GPUs) before it is read. */
  settle(): void;
  cp1kt(set: (labels: { scope: string; name: string; window: 'window' | 'since_start' }, value: number) => void): void;
  targets(set: (labels: { scope: string; name: string }, targetUsd: number, breach: boolean) => void): void;
  netSavedUsd(): number;
  shadowAgreement(): number | undefined;
  indexStats(): IndexStats | undefined;
}

export interface IndexStats {
  readonly entries: number;
  readonly bytes: number;
  /** Entries whose vectors are not indexed yet (the index being rebuilt after a start). */
  readonly indexBehind: number;
  /** 1 while the store cannot be reached or written. */
  readonly storeDegraded: number;
  /** Seconds between another replica's change and this one applying it (Redis; 0 otherwise). */
  readonly replicaLagSeconds?: number;
  /** Store writes that failed since start. */
  readonly storeWriteErrors?: number;
}

export function createInstruments(registry: Registry, source: ScrapeSource) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });

  return {
    requests: counter('semcache_requests_total', 'Completed cached-route requests.', ['endpoint', 'model', 'cache_status']),
    tokensProcessed: counter('semcache_tokens_processed_total', 'Tokens the upstream processed (misses and bypasses).', ['model', 'type']),
    tokensSaved: counter('semcache_tokens_saved_total', 'Tokens served from the cache instead of the upstream; never also counted as processed.', [
      'model',
      'type',
    ]),
    tokensUnpriced: counter('semcache_tokens_unpriced_total', 'Processed tokens of models the pricing file does not cover; left out of spend and CP1KT.', [
      'model',
      'type',
    ]),
    spend: new Counter({
      name: 'semcache_spend_usd_total',
      help: "Inference spend in USD of the tokens the upstream processed (a measured-throughput GPU's when its time bucket closes).",
      labelNames: ['model', 'tenant', 'use_case'],
      registers,
      collect() {
        source.settle();
      },
    }),
    saved: counter('semcache_saved_usd_total', 'What the tokens served from the cache would have cost, in USD.', ['model', 'tenant', 'use_case']),
    embeddingCost: counter('semcache_embedding_cost_usd_total', 'CPU cost of embedding prompts, in USD.', []),
    routes: counter('semcache_route_total', 'Requests sent upstream, by route (primary or the cheaper one).', ['route']),
    evictions: counter('semcache_evictions_total', 'Cache entries evicted, by reason.', ['reason']),
    guardRejections: counter('semcache_guard_rejections_total', 'Semantic candidates rejected by a guard.', ['guard']),
    shadowChecks: counter('semcache_shadow_checks_total', 'Semantic hits also answered by the upstream in the background, by whether the answers agreed.', [
      'result',
    ]),
    keyChecks: counter(
      'semcache_key_checks_total',
      'Calls asking the upstream whether it accepts a key before the cache answers for it, by answer: accepted, refused, unknown (unreachable, timed out or another status).',
      ['result'],
    ),
    keyRefusals: counter(
      'semcache_key_refusals_total',
      'Requests that did not read the cache because the upstream refuses their key (key-refused) or could not be asked about it (key-unchecked).',
      ['reason'],
    ),
    webhookDeliveries: counter(
      'semcache_cp1kt_webhook_deliveries_total',
      'CP1KT webhook events by how their delivery ended: delivered, failed (given up after retries) or superseded (a newer event of the same target replaced it while it waited to be retried).',
      ['result'],
    ),
    requestDuration: histogram(
      'semcache_request_duration_seconds',
      'Whole request, as the client sees it.',
      ['endpoint', 'cache_status'],
      LATENCY_BUCKETS_SECONDS,
    ),
    firstByte: histogram(
      'semcache_time_to_first_byte_seconds',
      'Time until the first byte of the response.',
      ['endpoint', 'cache_status'],
      LATENCY_BUCKETS_SECONDS,
    ),
    upstreamDuration: histogram('semcache_upstream_duration_seconds', 'Time spent waiting on the upstream.', ['endpoint'], LATENCY_BUCKETS_SECONDS),
    embedDuration: histogram('semcache_embedding_duration_seconds', 'Time to embed a prompt.', [], LATENCY_BUCKETS_SECONDS),
    searchDuration: histogram('semcache_index_search_duration_seconds', 'Time to search the vector index.', [], LATENCY_BUCKETS_SECONDS),
    similarity: histogram('semcache_hit_similarity', 'Cosine similarity of semantic hits.', [], SIMILARITY_BUCKETS),
    indexEntries: new Gauge({
      name: 'semcache_index_entries',
      help: 'Entries in the cache.',
      registers,
      collect() {
        const stats = source.indexStats();
        if (stats !== undefined) this.set(stats.entries);
      },
    }),
    indexBytes: new Gauge({
      name: 'semcache_index_bytes',
      help: 'Bytes held by the cache entries and their vector index.',
      registers,
      collect() {
        const stats = source.indexStats();
        if (stats !== undefined) this.set(stats.bytes);
      },
    }),
    indexBehind: new Gauge({
      name: 'semcache_index_behind_entries',
      help: 'Entries of the store whose vectors are not in the semantic index yet (rebuilding after a start).',
      registers,
      collect() {
        const stats = source.indexStats();
        if (stats !== undefined) this.set(stats.indexBehind);
      },
    }),
    storeDegraded: new Gauge({
      name: 'semcache_store_degraded',
      help: '1 while the store cannot be reached or written: the cache serves what this process holds.',
      registers,
      collect() {
        const stats = source.indexStats();
        if (stats !== undefined) this.set(stats.storeDegraded);
      },
    }),
    replicaLag: new Gauge({
      name: 'semcache_store_replica_lag_seconds',
      help: 'With Redis: time between another replica storing or deleting an entry and this replica applying it (its last batch; 0 when caught up).',
      registers,
      collect() {
        const stats = source.indexStats();
        if (stats !== undefined) this.set(stats.replicaLagSeconds ?? 0);
      },
    }),
    storeWriteErrors: new Gauge({
      name: 'semcache_store_write_errors',
      help: 'Store writes that failed since start (those entries stayed in this process only).',
      registers,
      collect() {
        const stats = source.indexStats();
        if (stats !== undefined) this.set(stats.storeWriteErrors ?? 0);
      },
    }),
    inFlight: gauge('semcache_upstream_in_flight', 'Requests waiting on the upstream.', []),
    cp1kt: new Gauge({
      name: 'semcache_cp1kt_usd',
      help: 'Cost per 1,000 processed tokens in USD, over the sliding window or since start; absent when no priced token was processed.',
      labelNames: ['scope', 'name', 'window'],
      registers,
      collect() {
        this.reset();
        source.cp1kt((labels, value) => this.set(labels, value));
      },
    }),
    target: new Gauge({
      name: 'semcache_cp1kt_target_usd',
      help: 'CP1KT target in USD from the pricing file.',
      labelNames: ['scope', 'name'],
      registers,
      collect() {
        this.reset();
        source.targets((labels, targetUsd) => this.set(labels, targetUsd));
      },
    }),
    breach: new Gauge({
      name: 'semcache_cp1kt_breach',
      help: '1 while the windowed CP1KT is above its target.',
      labelNames: ['scope', 'name'],
      registers,
      collect() {
        this.reset();
        source.targets((labels, _targetUsd, breach) => this.set(labels, breach ? 1 : 0));
      },
    }),
    shadowAgreement: new Gauge({
      name: 'semcache_shadow_agreement_ratio',
      help: 'Share of shadow-checked semantic hits whose fresh answer agreed with the cached one, since start; absent before the first check.',
      registers,
      collect() {
        this.reset();
        const ratio = source.shadowAgreement();
        if (ratio !== undefined) this.set(ratio);
      },
    }),
    netSaved: new Gauge({
      name: 'semcache_net_saved_usd',
      help: 'Saved spend minus the embedding cost since start, in USD (a gauge: it can fall).',
      registers,
      collect() {
        this.set(source.netSavedUsd());
      },
    }),
  };
}

export type Instruments = ReturnType<typeof createInstruments>;
