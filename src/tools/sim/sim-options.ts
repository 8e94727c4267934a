// Knobs of the simulated GPU upstream, and the parser for its command line (`semcache sim-upstream`).
// Every knob can also be overridden per request with the `x-sim-fault` header (see fault-header.ts).
import { formatFlagHelp } from '../../flag-help.js';

export interface SimOptions {
  /** Time to first token: the first streamed token (or a whole non-streamed answer) is not ready before it. */
  ttftMs: number;
  /** Decode speed after the first token; 0 = instant. */
  tokensPerSecond: number;
  /** Status of injected errors (OpenAI's error shape). */
  errorStatus: number;
  /** Probability (0..1) that a request is answered with `errorStatus`. */
  errorRate: number;
  /** Delay before answering anything (headers included). */
  stallMs: number;
  /** Probability (0..1) that the connection is reset without any answer. */
  resetRate: number;
  /** Stream: send this many chunks, then drop the connection without `[DONE]`; non-stream: send half
   * the body, then drop. 0 = never. */
  cutAfterChunks: number;
  /** Default answer length in tokens (marker included), before `max_tokens`. */
  answerTokens: number;
  /** Mixed into every answer, to simulate a model whose answers change. */
  answerSalt: string;
  /** When set, answers are made for this text instead of the prompt: a model that gives
   * paraphrases one answer (per request with `x-sim-fault: topic=...`). */
  answerTopic: string;
  /** Ids listed by `GET /v1/models`; completions accept any model. */
  modelIds: string[];
  /** Seeds the fault dice (error-rate, reset-rate), so a run is reproducible. */
  seed: number;
  /** Dimension of `/v1/embeddings` vectors when the request gives no `dimensions`. */
  embeddingDimensions: number;
  /** API keys answered with 401 `invalid_api_key` (more can be refused at run time: `POST /sim/keys`). */
  refusedKeys: string[];
  /** Answer requests without any key with 401, as OpenAI does. */
  requireKey: boolean;
}

// Instant by default: tests and the bench want no latency unless they ask for it.
export const DEFAULT_SIM_OPTIONS: Readonly<SimOptions> = Object.freeze({
  ttftMs: 0,
  tokensPerSecond: 0,
  errorStatus: 500,
  errorRate: 0,
  stallMs: 0,
  resetRate: 0,
  cutAfterChunks: 0,
  answerTokens: 48,
  answerSalt: '',
  answerTopic: '',
  modelIds: ['sim-model'],
  seed: 42,
  embeddingDimensions: 64,
  refusedKeys: [],
  requireKey: false,
});

/** A plausible small-GPU latency profile, for the demo and the CLI's `--realistic`. */
export const REALISTIC_SIM_LATENCY: Readonly<Pick<SimOptions, 'ttftMs' | 'tokensPerSecond'>> = Object.freeze({
  ttftMs: 200,
  tokensPerSecond: 50,
});

export const DEFAULT_SIM_PORT = 8000;
export const DEFAULT_SIM_HOST = '127.0.0.1';

export interface SimArgs {
  port: number;
  host: string;
  options: SimOptions;
}

export class SimArgsError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid simulator arguments:\n  ${problems.join('\n  ')}`);
    this.name = 'SimArgsError';
    this.problems = problems;
  }
}

type NumberKey = {
  [K in keyof SimOptions]: SimOptions[K] extends number ? K : never;
}[keyof SimOptions];

/** One flag of `semcache sim-upstream`: what it takes, its default and meaning, and how it is read. */
export interface SimFlag {
  readonly value: string;
  readonly default: string;
  readonly help: string;
  /** false: a switch that takes no value. */
  readonly takesValue: boolean;
  apply(result: SimArgs, raw: string, problems: string[]): void;
}

function numberFlag(name: string, key: NumberKey | 'port', range: { min: number; max: number; integer: boolean }, help: string): SimFlag {
  const fallback = key === 'port' ? DEFAULT_SIM_PORT : DEFAULT_SIM_OPTIONS[key];
  return {
    value: `<${range.integer ? 'int' : 'number'} ${range.min}..${range.max}>`,
    default: String(fallback),
    help,
    takesValue: true,
    apply(result, raw, problems) {
      const value = raw.trim() === '' ? Number.NaN : Number(raw);
      const kind = range.integer ? 'an integer' : 'a number';
      if (!Number.isFinite(value) || (range.integer && !Number.isInteger(value)) || value < range.min || value > range.max) {
        problems.push(`${name}: expected ${kind} in [${range.min}, ${range.max}], got '${raw}'`);
        return;
      }
      if (key === 'port') result.port = value;
      else result.options[key] = value;
    },
  };
}

const int = (min: number, max: number) => ({ min, max, integer: true });
const real = (min: number, max: number) => ({ min, max, integer: false });

/** Every flag of `semcache sim-upstream`: the parser and `--help` read this one table. */
export const SIM_FLAGS: Readonly<Record<string, SimFlag>> = {
  '--port': numberFlag('--port', 'port', int(0, 65535), 'listening port'),
  '--host': {
    value: '<address>',
    default: DEFAULT_SIM_HOST,
    help: 'listening address',
    takesValue: true,
    apply: (result, value, problems) => (value === '' ? problems.push('--host: must not be empty') : (result.host = value)),
  },
  '--ttft-ms': numberFlag('--ttft-ms', 'ttftMs', real(0, 3_600_000), 'time to the first token (a whole answer is not sent before it)'),
  '--tps': numberFlag('--tps', 'tokensPerSecond', real(0, 1e9), 'decode speed after the first token, tokens a second (0: instant)'),
  '--realistic': {
    value: '',
    default: 'off',
    help: `a small GPU's latency: --ttft-ms ${REALISTIC_SIM_LATENCY.ttftMs} --tps ${REALISTIC_SIM_LATENCY.tokensPerSecond}`,
    takesValue: false,
    apply: (result) => Object.assign(result.options, REALISTIC_SIM_LATENCY),
  },
  '--error-status': numberFlag('--error-status', 'errorStatus', int(400, 599), 'status of injected errors (OpenAI error shape)'),
  '--error-rate': numberFlag('--error-rate', 'errorRate', real(0, 1), 'share of requests answered with --error-status'),
  '--stall-ms': numberFlag('--stall-ms', 'stallMs', real(0, 3_600_000), 'delay before answering anything, headers included'),
  '--reset-rate': numberFlag('--reset-rate', 'resetRate', real(0, 1), 'share of connections reset without an answer'),
  '--cut-after-chunks': numberFlag(
    '--cut-after-chunks',
    'cutAfterChunks',
    int(0, 1e9),
    'cut a stream after this many events (a body halfway) and drop the connection (0: never)',
  ),
  '--answer-tokens': numberFlag('--answer-tokens', 'answerTokens', int(1, 1e6), 'answer length in tokens, marker included, before max_tokens'),
  '--salt': {
    value: '<text>',
    default: '(none)',
    help: 'mixed into every answer, to simulate a model whose answers change',
    takesValue: true,
    apply: (result, value) => (result.options.answerSalt = value),
  },
  '--models': {
    value: '<a,b,...>',
    default: DEFAULT_SIM_OPTIONS.modelIds.join(','),
    help: 'ids GET /v1/models lists (any model is answered)',
    takesValue: true,
    apply(result, value, problems) {
      const ids = value
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      if (ids.length === 0) problems.push(`--models: expected a comma list of model ids, got '${value}'`);
      else result.options.modelIds = ids;
    },
  },
  '--seed': numberFlag('--seed', 'seed', int(0, 0xffffffff), 'seeds the fault dice (--error-rate, --reset-rate), so a run is reproducible'),
  '--embedding-dims': numberFlag('--embedding-dims', 'embeddingDimensions', int(1, 65536), 'dimension of /v1/embeddings vectors when a request gives none'),
  '--refused-keys': {
    value: '<a,b,...>',
    default: '(none)',
    help: 'API keys answered 401 invalid_api_key, as OpenAI answers a revoked key (more at run time: POST /sim/keys)',
    takesValue: true,
    apply: (result, value) =>
      (result.options.refusedKeys = value
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== '')),
  },
  '--require-key': {
    value: '',
    default: 'off',
    help: 'answer requests that carry no key 401, as OpenAI does',
    takesValue: false,
    apply: (result) => (result.options.requireKey = true),
  },
};

export const SIM_USAGE =
  'Usage: semcache sim-upstream [--flags]\n\nA simulated OpenAI-compatible GPU server (chat, completions, Responses API, embeddings, models) with\ndeterministic answers, a latency model and fault injection (per request too: the x-sim-fault header).';

/** `semcache sim-upstream --help`: every flag of SIM_FLAGS. */
export function simHelp(): string {
  const flags = Object.entries(SIM_FLAGS).map(([flag, spec]) => ({ flag, value: spec.value, env: undefined, default: spec.default, help: spec.help }));
  return formatFlagHelp(SIM_USAGE, flags);
}

/** Parses `--flag value` or `--flag=value` pairs; reports every bad flag at once. */
export function parseSimArgs(argv: readonly string[]): SimArgs {
  const result: SimArgs = {
    port: DEFAULT_SIM_PORT,
    host: DEFAULT_SIM_HOST,
    options: { ...DEFAULT_SIM_OPTIONS, modelIds: [...DEFAULT_SIM_OPTIONS.modelIds], refusedKeys: [] },
  };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const flag = SIM_FLAGS[name];
    if (flag === undefined) {
      problems.push(`${arg}: unknown flag`);
      continue;
    }
    if (!flag.takesValue) {
      flag.apply(result, '', problems);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) value = argv[++i];
    if (value === undefined) {
      problems.push(`${name}: missing value`);
      continue;
    }
    flag.apply(result, value, problems);
  }
  if (problems.length > 0) throw new SimArgsError(problems);
  return result;
}
