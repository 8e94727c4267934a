// The command line of `semcache bench <mode>`: `--flag value` or `--flag=value`; every bad flag is
// reported in one BenchArgsError.
import { fileURLToPath } from 'node:url';
import { formatFlagHelp } from '../../flag-help.js';
import type { LoadKind } from './load-mode.js';

export type BenchMode = 'pairs' | 'stream' | 'load' | 'soak';

export interface BenchOptions {
  readonly mode: BenchMode;
  readonly file: string | undefined;
  readonly threshold: number | undefined;
  readonly upstream: string | undefined;
  readonly concurrency: number;
  readonly pricing: string;
  readonly model: string;
  readonly baseline: 'exact' | undefined;
  readonly limit: number | undefined;
  readonly json: string | undefined;
  readonly report: string | undefined;
  readonly sweepMin: number;
  readonly sweepStep: number;
  readonly targetPrecision: number;
  /** pairs: report every wrong hit as feedback (POST /admin/feedback), then ask those queries again. */
  readonly feedback: boolean;
  readonly repeatRate: number;
  readonly zipfS: number;
  readonly seed: number;
  readonly windows: number;
  readonly durationMs: number;
  readonly roundMs: number;
  readonly warm: number;
  readonly mix: Readonly<Record<LoadKind, number>>;
  /** load: share of requests sent to the Responses API instead of chat completions. */
  readonly responsesShare: number;
  readonly simTtftMs: number;
  readonly simTokensPerSecond: number;
  readonly embedWorkers: number | undefined;
  readonly guards: string | undefined;
  /** Extra SEMCACHE_* settings for the proxy (`--set NAME=VALUE`, repeatable). */
  readonly set: Readonly<Record<string, string>>;
}

export class BenchArgsError extends Error {
  override readonly name = 'BenchArgsError';
}

export const MODES: readonly BenchMode[] = ['pairs', 'stream', 'load', 'soak'];

/** The API-price example: it prices `gpt-4o-mini`, the bench's default model. Resolved from this
 * file, so it is found from src/tools/bench (tests) and dist/tools/bench (the CLI) alike. */
export const DEFAULT_PRICING = fileURLToPath(new URL('../../../bench/pricing/api-price.json', import.meta.url));

export const DEFAULTS = {
  concurrency: { pairs: 8, stream: 1, load: 8, soak: 16 },
  model: 'gpt-4o-mini',
  sweepMin: 0.8,
  sweepStep: 0.01,
  targetPrecision: 0.9,
  repeatRate: 0,
  zipfS: 1.1,
  seed: 1,
  windows: 20,
  durationMs: 10_000,
  soakDurationMs: 30_000,
  roundMs: 1_000,
  warm: 32,
  mix: { exact: 50, semantic: 20, miss: 20, bypass: 10 },
} as const;

type MutableOptions = { -readonly [K in keyof BenchOptions]: BenchOptions[K] } & { set: Record<string, string> };
type Setter = (o: MutableOptions, value: string, problems: string[]) => void;

/** One flag of `semcache bench`: what it takes, its default and meaning, and how it is read. */
export interface BenchFlag {
  readonly value: string;
  readonly default: string;
  readonly help: string;
  readonly set: Setter;
}

function numberIn(name: string, min: number, max: number, integer: boolean, apply: (o: MutableOptions, n: number) => void): Pick<BenchFlag, 'value' | 'set'> {
  return {
    value: `<${integer ? 'int' : 'number'} ${min}..${max}>`,
    set(o, raw, problems) {
      const value = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
        problems.push(`--${name}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got '${raw}'`);
        return;
      }
      apply(o, value);
    },
  };
}

const text = (apply: (o: MutableOptions, v: string) => void, value = '<text>'): Pick<BenchFlag, 'value' | 'set'> => ({ value, set: (o, v) => apply(o, v) });

function parseMix(raw: string, problems: string[]): Record<LoadKind, number> | undefined {
  const mix: Record<LoadKind, number> = { exact: 0, semantic: 0, miss: 0, bypass: 0 };
  for (const part of raw.split(',')) {
    const [kind = '', weight = ''] = part.split('=').map((s) => s.trim());
    const value = Number(weight);
    if (!(kind in mix) || weight === '' || !Number.isFinite(value) || value < 0) {
      problems.push(`--mix: expected e.g. exact=50,semantic=20,miss=20,bypass=10, got '${raw}'`);
      return undefined;
    }
    mix[kind as LoadKind] = value;
  }
  if (Object.values(mix).every((v) => v === 0)) problems.push('--mix: at least one weight must be above 0');
  return mix;
}

/** Every flag of `semcache bench` (without its leading --): the parser and `--help` read this one table. */
export const BENCH_FLAGS: Readonly<Record<string, BenchFlag>> = {
  file: {
    ...text((o, v) => (o.file = v), '<path>'),
    default: '(load: built-in questions)',
    help: 'pairs: label<TAB>a<TAB>b TSV; stream and load: prompts JSONL (required for pairs and stream)',
  },
  threshold: {
    ...numberIn('threshold', 0, 1, false, (o, n) => (o.threshold = n)),
    default: 'SEMCACHE_THRESHOLD or 0.95',
    help: "the proxy's threshold for the run",
  },
  upstream: {
    value: '<url>',
    set: (o, v, p) => (URL.canParse(v) ? (o.upstream = v) : p.push(`--upstream: not a URL: '${v}'`)),
    default: '(the simulator)',
    help: 'a real OpenAI-compatible base URL (.../v1) instead of the simulator',
  },
  concurrency: {
    ...numberIn('concurrency', 1, 1024, true, (o, n) => (o.concurrency = n)),
    default: 'pairs 8, stream 1, load 8, soak 16',
    help: 'requests in flight',
  },
  pricing: { ...text((o, v) => (o.pricing = v), '<path>'), default: 'bench/pricing/api-price.json', help: 'pricing file the money figures use' },
  model: { ...text((o, v) => (o.model = v), '<id>'), default: DEFAULTS.model, help: 'model sent in every request' },
  baseline: {
    value: 'exact',
    set: (o, v, p) => (v === 'exact' ? (o.baseline = 'exact') : p.push(`--baseline: only 'exact' is supported, got '${v}'`)),
    default: '(none)',
    help: 'also run the workload through an exact-match-only cache',
  },
  limit: { ...numberIn('limit', 1, 1e9, true, (o, n) => (o.limit = n)), default: '(all)', help: 'read only the first N rows' },
  json: { ...text((o, v) => (o.json = v), '<path>'), default: '(none)', help: 'write the full result as JSON' },
  report: { ...text((o, v) => (o.report = v), '<path>'), default: '(none)', help: 'write a Markdown report with SVG charts' },
  'sweep-min': {
    ...numberIn('sweep-min', 0, 1, false, (o, n) => (o.sweepMin = n)),
    default: String(DEFAULTS.sweepMin),
    help: 'pairs: lowest threshold of the sweep',
  },
  'sweep-step': {
    ...numberIn('sweep-step', 0.001, 0.5, false, (o, n) => (o.sweepStep = n)),
    default: String(DEFAULTS.sweepStep),
    help: 'pairs: step of the sweep',
  },
  'target-precision': {
    ...numberIn('target-precision', 0, 1, false, (o, n) => (o.targetPrecision = n)),
    default: String(DEFAULTS.targetPrecision),
    help: 'pairs: precision the recommended threshold must reach',
  },
  feedback: {
    value: 'true|false',
    set: (o, v, p) => (v === 'true' || v === 'false' ? (o.feedback = v === 'true') : p.push(`--feedback: expected true or false, got '${v}'`)),
    default: 'false',
    help: 'pairs: report every wrong hit as feedback, then ask those queries again',
  },
  'repeat-rate': {
    ...numberIn('repeat-rate', 0, 0.95, false, (o, n) => (o.repeatRate = n)),
    default: String(DEFAULTS.repeatRate),
    help: 'stream: share of requests that repeat an earlier prompt',
  },
  'zipf-s': {
    ...numberIn('zipf-s', 0, 10, false, (o, n) => (o.zipfS = n)),
    default: String(DEFAULTS.zipfS),
    help: 'stream: Zipf exponent of which earlier prompt repeats',
  },
  seed: {
    ...numberIn('seed', 0, 0xffffffff, true, (o, n) => (o.seed = n)),
    default: String(DEFAULTS.seed),
    help: 'seeds every random choice, so a run is reproducible',
  },
  windows: {
    ...numberIn('windows', 1, 1000, true, (o, n) => (o.windows = n)),
    default: String(DEFAULTS.windows),
    help: 'stream: windows of the hit rate over time',
  },
  duration: {
    ...numberIn('duration', 0.1, 3600, false, (o, n) => (o.durationMs = n * 1000)),
    default: `load ${DEFAULTS.durationMs / 1000}, soak ${DEFAULTS.soakDurationMs / 1000}`,
    help: 'load and soak: seconds of load',
  },
  'round-ms': {
    ...numberIn('round-ms', 50, 60_000, true, (o, n) => (o.roundMs = n)),
    default: String(DEFAULTS.roundMs),
    help: 'load: length of a round (rounds alternate proxy and direct)',
  },
  warm: { ...numberIn('warm', 1, 10_000, true, (o, n) => (o.warm = n)), default: String(DEFAULTS.warm), help: 'load: prompts stored before the clock starts' },
  mix: {
    value: '<kind=weight,...>',
    set(o, v, p) {
      const mix = parseMix(v, p);
      if (mix !== undefined) o.mix = mix;
    },
    default: Object.entries(DEFAULTS.mix)
      .map(([kind, weight]) => `${kind}=${weight}`)
      .join(','),
    help: 'load: relative weights of exact, semantic, miss and bypass requests',
  },
  'responses-share': {
    ...numberIn('responses-share', 0, 1, false, (o, n) => (o.responsesShare = n)),
    default: '0',
    help: 'load: share of requests sent to POST /v1/responses instead of chat',
  },
  'sim-ttft-ms': {
    ...numberIn('sim-ttft-ms', 0, 60_000, false, (o, n) => (o.simTtftMs = n)),
    default: '0',
    help: "the simulated upstream's time to first token",
  },
  'sim-tps': {
    ...numberIn('sim-tps', 0, 1e9, false, (o, n) => (o.simTokensPerSecond = n)),
    default: '0 (instant)',
    help: "the simulated upstream's tokens a second",
  },
  'embed-workers': {
    ...numberIn('embed-workers', 0, 64, true, (o, n) => (o.embedWorkers = n)),
    default: "(the proxy's)",
    help: "the proxy's SEMCACHE_EMBED_WORKERS",
  },
  guards: { ...text((o, v) => (o.guards = v), '<a,b,...>'), default: "(the proxy's)", help: "the proxy's SEMCACHE_GUARDS" },
  set: {
    value: 'SEMCACHE_NAME=VALUE',
    set(o, v, p) {
      const eq = v.indexOf('=');
      if (eq <= 0 || !v.startsWith('SEMCACHE_')) p.push(`--set: expected SEMCACHE_NAME=VALUE, got '${v}'`);
      else o.set[v.slice(0, eq)] = v.slice(eq + 1);
    },
    default: '(none)',
    help: 'any other proxy setting (repeatable); SEMCACHE_* variables of the environment apply too',
  },
};

/** `semcache bench --help`: the modes, then every flag of BENCH_FLAGS. */
export function benchHelp(usage: string): string {
  const flags = Object.entries(BENCH_FLAGS).map(([name, flag]) => ({
    flag: `--${name}`,
    value: flag.value,
    env: undefined,
    default: flag.default,
    help: flag.help,
  }));
  return formatFlagHelp(usage, flags, 'See bench/README.md for the modes and the JSON fields.');
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const [mode, ...rest] = argv;
  if (mode === undefined || !(MODES as readonly string[]).includes(mode))
    throw new BenchArgsError(`expected a mode (${MODES.join(' | ')}), got ${mode === undefined ? 'nothing' : `'${mode}'`}`);
  const benchMode = mode as BenchMode;
  const o: MutableOptions = {
    mode: benchMode,
    file: undefined as string | undefined,
    threshold: undefined as number | undefined,
    upstream: undefined as string | undefined,
    concurrency: DEFAULTS.concurrency[benchMode] as number,
    pricing: DEFAULT_PRICING,
    model: DEFAULTS.model as string,
    baseline: undefined as 'exact' | undefined,
    limit: undefined as number | undefined,
    json: undefined as string | undefined,
    report: undefined as string | undefined,
    sweepMin: DEFAULTS.sweepMin as number,
    sweepStep: DEFAULTS.sweepStep as number,
    targetPrecision: DEFAULTS.targetPrecision as number,
    feedback: false,
    repeatRate: DEFAULTS.repeatRate as number,
    zipfS: DEFAULTS.zipfS as number,
    seed: DEFAULTS.seed as number,
    windows: DEFAULTS.windows as number,
    durationMs: (benchMode === 'soak' ? DEFAULTS.soakDurationMs : DEFAULTS.durationMs) as number,
    roundMs: DEFAULTS.roundMs as number,
    warm: DEFAULTS.warm as number,
    mix: { ...DEFAULTS.mix } as Record<LoadKind, number>,
    responsesShare: 0,
    simTtftMs: 0,
    simTokensPerSecond: 0,
    embedWorkers: undefined as number | undefined,
    guards: undefined as string | undefined,
    set: {},
  };
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq >= 0 ? eq : undefined) : '';
    const flag = Object.hasOwn(BENCH_FLAGS, name) ? BENCH_FLAGS[name] : undefined;
    if (flag === undefined) {
      problems.push(`${arg}: unknown flag`);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) problems.push(`--${name}: missing value`);
    else flag.set(o, value, problems);
  }
  if ((benchMode === 'pairs' || benchMode === 'stream') && o.file === undefined) problems.push(`--file is required for ${benchMode}`);
  if (benchMode === 'soak' && o.upstream !== undefined)
    problems.push('--upstream: soak runs against the simulator, whose answers name their prompt (that is how each answer is checked)');
  if (problems.length > 0) throw new BenchArgsError(problems.join('\n'));
  return o;
}
