// The one place that reads the environment. Every setting is SEMCACHE_<NAME> or --<name> (a flag
// wins); loadConfig reports every bad value in one ConfigError and returns a frozen Config.
import { availableParallelism } from 'node:os';
import { createConfigReader, parseFlags, type ConfigReader } from './config-reader.js';
import { readMetricsConfig, type MetricsConfig } from './metrics/metrics-config.js';
import { DEFAULT_GUARD_MAX_WORDS } from './cache/guards/index.js';
import { DEFAULT_SUPPORT } from './cache/guards/lexical-support.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 120_000;
export const DEFAULT_UPSTREAM_CONNECTIONS = 128;
export const DEFAULT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_THRESHOLD = 0.95;
export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
export const DEFAULT_MAX_ENTRIES = 100_000;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
export const DEFAULT_EMBED_MODEL = 'Xenova/all-MiniLM-L6-v2';
export const DEFAULT_EMBED_MAX_BATCH = 16;
/** A remote embeddings call: a GPU service answers in tens of ms, a hosted API in hundreds. */
export const DEFAULT_EMBED_TIMEOUT_MS = 1_000;
/** The longest a text waits for others to share a remote embeddings call with (only while one is out). */
export const DEFAULT_EMBED_BATCH_WAIT_MS = 5;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Node fires timers longer than 2^31 - 1 ms at once. */
const MAX_TIMER_MS = 2_147_483_647;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const EMBEDDERS = ['use', 'use-tfjs', 'transformers', 'openai'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
}

export interface UpstreamConfig {
  /** The base URL an OpenAI SDK would be given, e.g. http://127.0.0.1:8000/v1. */
  readonly url: URL | undefined;
  readonly timeoutMs: number;
  readonly connections: number;
}

export interface EmbedConfig {
  /** use: USE-lite on onnxruntime; use-tfjs: the same on TensorFlow.js; openai: a remote endpoint. */
  readonly backend: (typeof EMBEDDERS)[number];
  /** Hub id or local folder for the transformers backend; the endpoint's model name for openai. */
  readonly model: string;
  readonly allowRemote: boolean;
  readonly cacheDir: string | undefined;
  readonly workers: number;
  readonly maxBatch: number;
  /** openai: the endpoint's base URL (as an OpenAI SDK takes it), its key, and the call's bounds. */
  readonly url: URL | undefined;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  readonly batchWaitMs: number;
  /** openai: the dimension expected, so the proxy can start while the endpoint is down. */
  readonly dimension: number | undefined;
}

export interface CacheConfig {
  readonly enabled: boolean;
  /** false: the exact tier only (nothing is embedded), e.g. as a baseline. */
  readonly semantic: boolean;
  readonly threshold: number;
  /** Bounds within which a client's x-semcache-threshold header is honoured. */
  readonly thresholdMin: number;
  readonly thresholdMax: number;
  readonly ttlSeconds: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Namespaces (x-semcache-namespace) shared by every API key. */
  readonly sharedNamespaces: readonly string[];
  readonly guards: readonly string[] | 'default';
  /** Share of semantic hits also sent upstream to measure agreement (0: off). */
  readonly shadowFraction: number;
  /** Answer-embedding cosine at which a shadow check counts as agreement. */
  readonly shadowAgreement: number;
  /** A semantic hit is refused when the runner-up entry is within this similarity of the nearest
   * (0: off). */
  readonly ambiguityMargin: number;
  /** Similarity at and above which a hit needs no lexical support (the `support` guard). */
  readonly supportSimilarity: number;
  /** Similarity charged per content word the two prompts do not share, below `supportSimilarity`. */
  readonly supportPenalty: number;
  /** Longest prompt, in words, the guards check; a semantic candidate beyond it is refused. */
  readonly guardMaxWords: number;
}

export interface AdminConfig {
  /** Admin API disabled when unset. */
  readonly token: string | undefined;
}

export interface Config {
  readonly server: ServerConfig;
  readonly upstream: UpstreamConfig;
  readonly embed: EmbedConfig;
  readonly cache: CacheConfig;
  readonly admin: AdminConfig;
  readonly metrics: MetricsConfig;
}

function readServer(read: ConfigReader): ServerConfig {
  return {
    port: read.int('PORT', DEFAULT_PORT, { min: 0, max: 65_535 }),
    host: read.string('HOST', DEFAULT_HOST),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES, { min: 1024 }),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, { min: 0, max: MAX_TIMER_MS }),
  };
}

function readUpstream(read: ConfigReader): UpstreamConfig {
  return {
    url: read.optionalUrl('UPSTREAM_URL'),
    timeoutMs: read.int('UPSTREAM_TIMEOUT_MS', DEFAULT_UPSTREAM_TIMEOUT_MS, { min: 1, max: MAX_TIMER_MS }),
    connections: read.int('UPSTREAM_CONNECTIONS', DEFAULT_UPSTREAM_CONNECTIONS, { min: 1 }),
  };
}

function readEmbed(read: ConfigReader): EmbedConfig {
  const backend = read.oneOf('EMBEDDER', EMBEDDERS, 'use');
  const model = read.optionalString('EMBED_MODEL');
  const url = read.optionalUrl('EMBED_URL');
  if (backend === 'openai' && url === undefined) read.problem('SEMCACHE_EMBEDDER=openai needs SEMCACHE_EMBED_URL (the endpoint\'s base URL, e.g. http://127.0.0.1:8000/v1)');
  // No default model for an endpoint: its name is part of every entry's key.
  if (backend === 'openai' && model === undefined) read.problem('SEMCACHE_EMBEDDER=openai needs SEMCACHE_EMBED_MODEL (the model name the endpoint serves)');
  return {
    backend,
    model: model ?? DEFAULT_EMBED_MODEL,
    allowRemote: read.bool('EMBED_ALLOW_REMOTE', false),
    cacheDir: read.optionalString('EMBED_CACHE_DIR'),
    // One worker per core: USE-lite gains little from batching, so parallelism comes from cores.
    workers: read.int('EMBED_WORKERS', Math.min(availableParallelism(), 4), { min: 0, max: 64 }),
    maxBatch: read.int('EMBED_MAX_BATCH', DEFAULT_EMBED_MAX_BATCH, { min: 1, max: 1024 }),
    url,
    apiKey: read.optionalString('EMBED_API_KEY'),
    timeoutMs: read.int('EMBED_TIMEOUT_MS', DEFAULT_EMBED_TIMEOUT_MS, { min: 1, max: MAX_TIMER_MS }),
    batchWaitMs: read.number('EMBED_BATCH_WAIT_MS', DEFAULT_EMBED_BATCH_WAIT_MS, { min: 0, max: 1_000 }),
    dimension: read.optionalInt('EMBED_DIMENSION', { min: 1, max: 65_536 }),
  };
}

function readCache(read: ConfigReader): CacheConfig {
  const threshold = read.number('THRESHOLD', DEFAULT_THRESHOLD, { min: 0, max: 1 });
  const thresholdMin = read.number('THRESHOLD_MIN', Math.min(threshold, 0.8), { min: 0, max: 1 });
  const thresholdMax = read.number('THRESHOLD_MAX', 1, { min: 0, max: 1 });
  if (thresholdMin > threshold || threshold > thresholdMax) {
    read.problem(`SEMCACHE_THRESHOLD_MIN (${thresholdMin}) <= SEMCACHE_THRESHOLD (${threshold}) <= SEMCACHE_THRESHOLD_MAX (${thresholdMax}) does not hold`);
  }
  const guards = read.list('GUARDS', ['default']);
  return {
    enabled: read.bool('CACHE_ENABLED', true),
    semantic: read.bool('SEMANTIC', true),
    threshold,
    thresholdMin,
    thresholdMax,
    ttlSeconds: read.int('TTL_SECONDS', DEFAULT_TTL_SECONDS, { min: 0 }),
    maxEntries: read.int('MAX_ENTRIES', DEFAULT_MAX_ENTRIES, { min: 1 }),
    maxBytes: read.int('MAX_BYTES', DEFAULT_MAX_BYTES, { min: 1024 }),
    sharedNamespaces: read.list('SHARED_NAMESPACES', []),
    guards: guards.length === 1 && guards[0] === 'default' ? 'default' : guards.filter((g) => g !== 'none'),
    shadowFraction: read.number('SHADOW_FRACTION', 0, { min: 0, max: 1 }),
    shadowAgreement: read.number('SHADOW_AGREEMENT', 0.9, { min: 0, max: 1 }),
    ambiguityMargin: read.number('AMBIGUITY_MARGIN', 0, { min: 0, max: 1 }),
    supportSimilarity: read.number('SUPPORT_SIMILARITY', DEFAULT_SUPPORT.confidentSimilarity, { min: 0, max: 1 }),
    supportPenalty: read.number('SUPPORT_PENALTY', DEFAULT_SUPPORT.penaltyPerWord, { min: 0, max: 1 }),
    guardMaxWords: read.int('GUARD_MAX_WORDS', DEFAULT_GUARD_MAX_WORDS, { min: 1 }),
  };
}

/** SEMCACHE_EMBED_API_KEY alone, for `semcache calibrate`, which takes its other settings as flags. */
export function readEmbedApiKey(env: NodeJS.ProcessEnv): string | undefined {
  return createConfigReader(env, new Map()).optionalString('EMBED_API_KEY');
}

/** Parses the environment and flags once. `argv` holds flags only (the CLI strips the command). */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[] = []): Config {
  const { flags, positional } = parseFlags(argv);
  const read = createConfigReader(env, flags);
  if (positional.length > 0) read.problem(`unexpected arguments: ${positional.join(' ')}`);
  const config: Config = {
    server: readServer(read),
    upstream: readUpstream(read),
    embed: readEmbed(read),
    cache: readCache(read),
    admin: { token: read.optionalString('ADMIN_TOKEN') },
    metrics: readMetricsConfig(read),
  };
  read.finish();
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof URL) && !(value instanceof Map)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
