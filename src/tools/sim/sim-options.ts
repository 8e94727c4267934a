// Knobs of the simulated GPU upstream, and the parser for its command line (`semcache sim ...`).
// Every knob can also be overridden per request with the `x-sim-fault` header (see fault-header.ts).

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

interface NumberFlag {
  key: NumberKey | 'port';
  min: number;
  max: number;
  integer: boolean;
}

const NUMBER_FLAGS: Readonly<Record<string, NumberFlag>> = {
  '--port': { key: 'port', min: 0, max: 65535, integer: true },
  '--ttft-ms': { key: 'ttftMs', min: 0, max: 3_600_000, integer: false },
  '--tps': { key: 'tokensPerSecond', min: 0, max: 1e9, integer: false },
  '--error-status': { key: 'errorStatus', min: 400, max: 599, integer: true },
  '--error-rate': { key: 'errorRate', min: 0, max: 1, integer: false },
  '--stall-ms': { key: 'stallMs', min: 0, max: 3_600_000, integer: false },
  '--reset-rate': { key: 'resetRate', min: 0, max: 1, integer: false },
  '--cut-after-chunks': { key: 'cutAfterChunks', min: 0, max: 1e9, integer: true },
  '--answer-tokens': { key: 'answerTokens', min: 1, max: 1e6, integer: true },
  '--seed': { key: 'seed', min: 0, max: 0xffffffff, integer: true },
  '--embedding-dims': { key: 'embeddingDimensions', min: 1, max: 65536, integer: true },
};

const STRING_FLAGS = ['--host', '--salt', '--models', '--refused-keys'] as const;
type StringFlag = (typeof STRING_FLAGS)[number];

function isStringFlag(name: string): name is StringFlag {
  return (STRING_FLAGS as readonly string[]).includes(name);
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
    if (arg === '--realistic') {
      Object.assign(result.options, REALISTIC_SIM_LATENCY);
      continue;
    }
    if (arg === '--require-key') {
      result.options.requireKey = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const numberFlag = NUMBER_FLAGS[name];
    if (numberFlag === undefined && !isStringFlag(name)) {
      problems.push(`${arg}: unknown flag`);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) value = argv[++i];
    if (value === undefined) {
      problems.push(`${name}: missing value`);
      continue;
    }
    if (numberFlag !== undefined) applyNumber(result, name, numberFlag, value, problems);
    else applyString(result, name as StringFlag, value, problems);
  }
  if (problems.length > 0) throw new SimArgsError(problems);
  return result;
}

function applyNumber(result: SimArgs, name: string, flag: NumberFlag, raw: string, problems: string[]): void {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const kind = flag.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(value) || (flag.integer && !Number.isInteger(value)) || value < flag.min || value > flag.max) {
    problems.push(`${name}: expected ${kind} in [${flag.min}, ${flag.max}], got '${raw}'`);
    return;
  }
  if (flag.key === 'port') result.port = value;
  else result.options[flag.key] = value;
}

function applyString(result: SimArgs, name: StringFlag, value: string, problems: string[]): void {
  switch (name) {
    case '--host':
      if (value === '') problems.push('--host: must not be empty');
      else result.host = value;
      return;
    case '--salt':
      result.options.answerSalt = value;
      return;
    case '--refused-keys':
      result.options.refusedKeys = value.split(',').map((key) => key.trim()).filter((key) => key !== '');
      return;
    case '--models': {
      const ids = value
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      if (ids.length === 0) problems.push(`--models: expected a comma list of model ids, got '${value}'`);
      else result.options.modelIds = ids;
      return;
    }
  }
}
