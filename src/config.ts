// The one place that reads the environment. Every setting is SEMCACHE_<NAME> or --<name> (a flag
// wins); loadConfig reports every bad value in one ConfigError and returns a frozen Config.
import { availableParallelism } from 'node:os';
import { createConfigReader, parseFlags, type ConfigReader } from './config-reader.js';
import { readMetricsConfig, type MetricsConfig } from './config-finops.js';
import { readKeyCheckConfig, type KeyCheckConfig } from './config-keys.js';

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
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Similarity at and above which a hit needs no lexical support (the guards' `support` charge). */
export const DEFAULT_SUPPORT_SIMILARITY = 0.95;
/** Similarity charged per unshared content word below DEFAULT_SUPPORT_SIMILARITY. */
export const DEFAULT_SUPPORT_PENALTY = 0.02;
/** Longest prompt, in words, the guards check. They compare words pair by pair: past this a prompt
 * is a document, not a question they can check in a few milliseconds (bench/guard-stage.mjs), and
 * two documents a few words apart are not a hit to serve unchecked: exact hits only. */
export const DEFAULT_GUARD_MAX_WORDS = 256;
/** Node fires timers longer than 2^31 - 1 ms at once. */
const MAX_TIMER_MS = 2_147_483_647;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const EMBEDDERS = ['use', 'transformers'] as const;

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
  readonly backend: (typeof EMBEDDERS)[number];
  /** Hub id or local folder, for the transformers backend. */
  readonly model: string;
  readonly allowRemote: boolean;
  readonly cacheDir: string | undefined;
  readonly workers: number;
  readonly maxBatch: number;
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
  /** The key check before hits. */
  readonly keys: KeyCheckConfig;
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
  return {
    backend: read.oneOf('EMBEDDER', EMBEDDERS, 'use'),
    model: read.string('EMBED_MODEL', DEFAULT_EMBED_MODEL),
    allowRemote: read.bool('EMBED_ALLOW_REMOTE', false),
    cacheDir: read.optionalString('EMBED_CACHE_DIR'),
    // One worker per core: USE-lite gains little from batching, so parallelism comes from cores.
    workers: read.int('EMBED_WORKERS', Math.min(availableParallelism(), 4), { min: 0, max: 64 }),
    maxBatch: read.int('EMBED_MAX_BATCH', DEFAULT_EMBED_MAX_BATCH, { min: 1, max: 1024 }),
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
    supportSimilarity: read.number('SUPPORT_SIMILARITY', DEFAULT_SUPPORT_SIMILARITY, { min: 0, max: 1 }),
    supportPenalty: read.number('SUPPORT_PENALTY', DEFAULT_SUPPORT_PENALTY, { min: 0, max: 1 }),
    guardMaxWords: read.int('GUARD_MAX_WORDS', DEFAULT_GUARD_MAX_WORDS, { min: 1 }),
  };
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
    keys: readKeyCheckConfig(read),
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
