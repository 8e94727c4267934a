// The one place that reads the environment. Every setting is SEMCACHE_<NAME> or --<name> (a flag
// wins); loadConfig reports every bad value in one ConfigError and returns a frozen Config.
import { availableParallelism } from 'node:os';
import { createConfigReader, parseFlags, type ConfigReader, type SettingDescription } from './config-reader.js';
import { readMetricsConfig, type MetricsConfig } from './config-finops.js';
import { readStoreConfig, type StoreConfig } from './config-store.js';
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
/** A remote embeddings call: a GPU service answers in tens of ms, a hosted API in hundreds. */
export const DEFAULT_EMBED_TIMEOUT_MS = 1_000;
/** The longest a text waits for others to share a remote embeddings call with (only while one is out). */
export const DEFAULT_EMBED_BATCH_WAIT_MS = 5;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Similarity at and above which a hit needs no lexical support (the guards' `support` charge). */
export const DEFAULT_SUPPORT_SIMILARITY = 0.95;
/** Similarity charged per unshared rare content word below DEFAULT_SUPPORT_SIMILARITY (a common
 * word costs half, at most one word's worth in all: src/cache/guards/lexical-support.ts). */
export const DEFAULT_SUPPORT_PENALTY = 0.04;
/** Longest prompt, in words, the guards check. They compare words pair by pair: past this a prompt
 * is a document, not a question they can check in a few milliseconds (bench/guard-stage.mjs), and
 * two documents a few words apart are not a hit to serve unchecked: exact hits only. */
export const DEFAULT_GUARD_MAX_WORDS = 256;
/** Recent hits and near misses the dashboard shows: a few screens' worth, prompts truncated. */
export const DEFAULT_RECENT_LOOKUPS = 200;
export const MAX_RECENT_LOOKUPS = 10_000;
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
  /** Recent hits and near misses kept in memory for /dashboard (0: none are kept). */
  readonly recentLookups: number;
}

export interface Config {
  readonly server: ServerConfig;
  readonly upstream: UpstreamConfig;
  readonly embed: EmbedConfig;
  readonly cache: CacheConfig;
  readonly admin: AdminConfig;
  readonly metrics: MetricsConfig;
  readonly store: StoreConfig;
  /** The key check before hits. */
  readonly keys: KeyCheckConfig;
}

function readServer(read: ConfigReader): ServerConfig {
  return {
    port: read.int('PORT', DEFAULT_PORT, 'listening port', { min: 0, max: 65_535 }),
    host: read.string('HOST', DEFAULT_HOST, 'listening address (`0.0.0.0` to expose it)'),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES, 'largest request body on the cached routes (413 past it)', { min: 1024 }),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info', 'pino level; one JSON line per request, keys redacted'),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 'on SIGTERM/SIGINT, how long in-flight requests may take to finish', {
      min: 0,
      max: MAX_TIMER_MS,
    }),
  };
}

function readUpstream(read: ConfigReader): UpstreamConfig {
  return {
    url: read.optionalUrl('UPSTREAM_URL', {
      help: "the upstream's base URL, as an SDK would take it, e.g. `http://127.0.0.1:8000/v1`",
      shown: '(required for `serve`)',
    }),
    timeoutMs: read.int('UPSTREAM_TIMEOUT_MS', DEFAULT_UPSTREAM_TIMEOUT_MS, "longest wait for the upstream's headers, and for each pause within its body", {
      min: 1,
      max: MAX_TIMER_MS,
    }),
    connections: read.int('UPSTREAM_CONNECTIONS', DEFAULT_UPSTREAM_CONNECTIONS, 'keep-alive connections to the upstream', { min: 1 }),
  };
}

/**
 * Embedding workers by default. On onnxruntime, one process per two cores, each running its prompts
 * on two threads: on 2 cores, one such process answered a prompt faster and batched more under load
 * than two processes of one thread (bench/RESULTS.md section 9), in half the memory. TF.js workers
 * run one thread each, so one per core.
 */
export function defaultEmbedWorkers(backend: (typeof EMBEDDERS)[number], cores: number = availableParallelism()): number {
  const perCore = backend === 'use-tfjs' ? cores : Math.floor(cores / 2);
  return Math.min(Math.max(1, perCore), 4);
}

function readEmbed(read: ConfigReader): EmbedConfig {
  const backend = read.oneOf(
    'EMBEDDER',
    EMBEDDERS,
    'use',
    '`use` (bundled Universal Sentence Encoder lite on onnxruntime), `use-tfjs` (the same model on TensorFlow.js, slower), `transformers` or `openai` (an embeddings endpoint); see [Embedding models](#embedding-models)',
  );
  const model = read.optionalString('EMBED_MODEL', {
    help: 'transformers.js model (hub id or local folder); with `openai`, the model name the endpoint serves (required)',
    shown: DEFAULT_EMBED_MODEL,
  });
  const url = read.optionalUrl('EMBED_URL', {
    help: "the embeddings endpoint's base URL, as an SDK would take it, e.g. `http://10.0.0.5:8080/v1` (`/embeddings` is appended)",
    shown: '(required for `openai`)',
  });
  if (backend === 'openai' && url === undefined)
    read.problem("SEMCACHE_EMBEDDER=openai needs SEMCACHE_EMBED_URL (the endpoint's base URL, e.g. http://127.0.0.1:8000/v1)");
  // No default model for an endpoint: its name is part of every entry's key.
  if (backend === 'openai' && model === undefined) read.problem('SEMCACHE_EMBEDDER=openai needs SEMCACHE_EMBED_MODEL (the model name the endpoint serves)');
  return {
    backend,
    model: model ?? DEFAULT_EMBED_MODEL,
    allowRemote: read.bool('EMBED_ALLOW_REMOTE', false, 'let transformers.js download the model'),
    cacheDir: read.optionalString('EMBED_CACHE_DIR', 'where transformers.js keeps downloaded models'),
    workers: read.int(
      'EMBED_WORKERS',
      defaultEmbedWorkers(backend),
      {
        help: 'embedding workers (processes for onnxruntime, threads for `use-tfjs`); the cores are shared among their onnxruntime threads',
        shown: 'half the cores for onnxruntime (2 threads each), the cores for `use-tfjs`; max 4',
      },
      { min: 0, max: 64 },
    ),
    maxBatch: read.int('EMBED_MAX_BATCH', DEFAULT_EMBED_MAX_BATCH, 'texts per embedding batch, and per call to an `openai` endpoint', { min: 1, max: 1024 }),
    url,
    apiKey: read.optionalString('EMBED_API_KEY', 'sent to that endpoint as `Authorization: Bearer`; never logged'),
    timeoutMs: read.int('EMBED_TIMEOUT_MS', DEFAULT_EMBED_TIMEOUT_MS, 'longest wait for one call to that endpoint', { min: 1, max: MAX_TIMER_MS }),
    batchWaitMs: read.number(
      'EMBED_BATCH_WAIT_MS',
      DEFAULT_EMBED_BATCH_WAIT_MS,
      "longest a prompt waits for others to share a call (only while a call is out; a burst's batch leaves once no prompt has joined it for 1 ms)",
      { min: 0, max: 1_000 },
    ),
    dimension: read.optionalInt(
      'EMBED_DIMENSION',
      {
        help: "the endpoint's vector size; learnt from its first answer when unset (the endpoint must then answer at start), checked against every answer either way",
        shown: '(learnt)',
      },
      {
        min: 1,
        max: 65_536,
      },
    ),
  };
}

function readCache(read: ConfigReader): CacheConfig {
  const threshold = read.number('THRESHOLD', DEFAULT_THRESHOLD, 'cosine similarity a semantic hit needs', { min: 0, max: 1 });
  const thresholdMin = read.number(
    'THRESHOLD_MIN',
    Math.min(threshold, 0.8),
    { help: 'lowest `x-semcache-threshold` a client may ask for', shown: '0.8 (the threshold, if lower)' },
    { min: 0, max: 1 },
  );
  const thresholdMax = read.number('THRESHOLD_MAX', 1, 'highest `x-semcache-threshold` a client may ask for', { min: 0, max: 1 });
  if (thresholdMin > threshold || threshold > thresholdMax) {
    read.problem(`SEMCACHE_THRESHOLD_MIN (${thresholdMin}) <= SEMCACHE_THRESHOLD (${threshold}) <= SEMCACHE_THRESHOLD_MAX (${thresholdMax}) does not hold`);
  }
  const guards = read.list(
    'GUARDS',
    ['default'],
    'comma list of hit guards (`numbers`, `polarity`, `entities`, `language`, `code`, `direction`, `roles`, `substitution`, `state`, `specifier`, `support`; `default` = all), `none` for raw cosine',
  );
  return {
    enabled: read.bool('CACHE_ENABLED', true, '`false` makes semcache a plain proxy'),
    semantic: read.bool('SEMANTIC', true, '`false` keeps the exact tier only (nothing is embedded): an exact-match cache'),
    threshold,
    thresholdMin,
    thresholdMax,
    ttlSeconds: read.int('TTL_SECONDS', DEFAULT_TTL_SECONDS, 'entry lifetime (0: no expiry)', { min: 0 }),
    maxEntries: read.int('MAX_ENTRIES', DEFAULT_MAX_ENTRIES, 'entry bound (least recently used evicted first)', { min: 1 }),
    maxBytes: read.int('MAX_BYTES', DEFAULT_MAX_BYTES, 'memory bound of the entries', { min: 1024 }),
    sharedNamespaces: read.list('SHARED_NAMESPACES', [], 'comma list of namespaces shared by all API keys'),
    guards: guards.length === 1 && guards[0] === 'default' ? 'default' : guards.filter((g) => g !== 'none'),
    shadowFraction: read.number('SHADOW_FRACTION', 0, 'share of semantic hits also sent upstream in the background to measure agreement', { min: 0, max: 1 }),
    shadowAgreement: read.number('SHADOW_AGREEMENT', 0.9, 'answer-embedding cosine at which a shadow check agrees', { min: 0, max: 1 }),
    ambiguityMargin: read.number(
      'AMBIGUITY_MARGIN',
      0,
      { help: 'refuse a hit whose runner-up entry is within this similarity of the nearest (helps when many related questions are stored)', shown: '0 (off)' },
      { min: 0, max: 1 },
    ),
    supportSimilarity: read.number(
      'SUPPORT_SIMILARITY',
      DEFAULT_SUPPORT_SIMILARITY,
      'similarity at and above which a hit needs no lexical support (the `support` guard)',
      { min: 0, max: 1 },
    ),
    supportPenalty: read.number(
      'SUPPORT_PENALTY',
      DEFAULT_SUPPORT_PENALTY,
      'similarity charged, below `SEMCACHE_SUPPORT_SIMILARITY`, for a rare content word one prompt has and the other does not explain; half for a common English word; at most this much in all (0: off)',
      { min: 0, max: 1 },
    ),
    guardMaxWords: read.int(
      'GUARD_MAX_WORDS',
      DEFAULT_GUARD_MAX_WORDS,
      'longest prompt the guards check, in words (and 12 characters a word); longer prompts get exact hits only and are not embedded',
      { min: 1 },
    ),
  };
}

/** SEMCACHE_EMBED_API_KEY alone, for `semcache calibrate`, which takes its other settings as flags. */
export function readEmbedApiKey(env: NodeJS.ProcessEnv): string | undefined {
  return env.SEMCACHE_EMBED_API_KEY?.trim() || undefined;
}

export interface ConfigDefaults {
  /** SEMCACHE_STORE when unset: `semcache serve` keeps a file (DEFAULT_SERVE_STORE); the rest memory. */
  readonly store?: string;
}

function readAdmin(read: ConfigReader): AdminConfig {
  return {
    token: read.optionalString('ADMIN_TOKEN', { help: "bearer token of `/admin` and of the dashboard's data", shown: '(unset: admin API off)' }),
    recentLookups: read.int(
      'RECENT_LOOKUPS',
      DEFAULT_RECENT_LOOKUPS,
      'recent hits and near misses kept in memory for `/dashboard`, prompts truncated (0: off)',
      { min: 0, max: MAX_RECENT_LOOKUPS },
    ),
  };
}

function readConfig(read: ConfigReader, defaults: ConfigDefaults): Config {
  return {
    server: readServer(read),
    upstream: readUpstream(read),
    embed: readEmbed(read),
    cache: readCache(read),
    admin: readAdmin(read),
    metrics: readMetricsConfig(read),
    store: readStoreConfig(read, defaults.store ?? 'memory'),
    keys: readKeyCheckConfig(read),
  };
}

/** Parses the environment and flags once. `argv` holds flags only (the CLI strips the command). */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[] = [], defaults: ConfigDefaults = {}): Config {
  const { flags, positional } = parseFlags(argv);
  const read = createConfigReader(env, flags);
  if (positional.length > 0) read.problem(`unexpected arguments: ${positional.join(' ')}`);
  const config = readConfig(read, defaults);
  read.finish();
  return deepFreeze(config);
}

/** Every setting, as the reads that parse them describe it: the one table `--help` and the README's
 * configuration table are made from. */
export function describeConfig(defaults: ConfigDefaults = {}): readonly SettingDescription[] {
  const read = createConfigReader({}, new Map());
  readConfig(read, defaults);
  return read.settings();
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof URL) && !(value instanceof Map)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
