// The command line of `semcache bench <mode>`: `--flag value` or `--flag=value`; every bad flag is
// reported in one BenchArgsError.
import { fileURLToPath } from 'node:url';
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

type Setter = (value: string, problems: string[]) => void;

function numberIn(name: string, min: number, max: number, integer: boolean, apply: (n: number) => void): Setter {
  return (raw, problems) => {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`--${name}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got '${raw}'`);
      return;
    }
    apply(value);
  };
}

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

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const [mode, ...rest] = argv;
  if (mode === undefined || !(MODES as readonly string[]).includes(mode)) throw new BenchArgsError(`expected a mode (${MODES.join(' | ')}), got ${mode === undefined ? 'nothing' : `'${mode}'`}`);
  const benchMode = mode as BenchMode;
  const o = {
    mode: benchMode, file: undefined as string | undefined, threshold: undefined as number | undefined, upstream: undefined as string | undefined,
    concurrency: DEFAULTS.concurrency[benchMode] as number, pricing: DEFAULT_PRICING, model: DEFAULTS.model as string, baseline: undefined as 'exact' | undefined,
    limit: undefined as number | undefined, json: undefined as string | undefined, report: undefined as string | undefined,
    sweepMin: DEFAULTS.sweepMin as number, sweepStep: DEFAULTS.sweepStep as number, targetPrecision: DEFAULTS.targetPrecision as number, feedback: false,
    repeatRate: DEFAULTS.repeatRate as number, zipfS: DEFAULTS.zipfS as number, seed: DEFAULTS.seed as number, windows: DEFAULTS.windows as number,
    durationMs: (benchMode === 'soak' ? DEFAULTS.soakDurationMs : DEFAULTS.durationMs) as number, roundMs: DEFAULTS.roundMs as number, warm: DEFAULTS.warm as number, mix: { ...DEFAULTS.mix } as Record<LoadKind, number>,
    simTtftMs: 0, simTokensPerSecond: 0, embedWorkers: undefined as number | undefined, guards: undefined as string | undefined, set: {} as Record<string, string>,
  };
  const setters: Record<string, Setter> = {
    file: (v) => (o.file = v),
    threshold: numberIn('threshold', 0, 1, false, (n) => (o.threshold = n)),
    upstream: (v, p) => (URL.canParse(v) ? (o.upstream = v) : p.push(`--upstream: not a URL: '${v}'`)),
    concurrency: numberIn('concurrency', 1, 1024, true, (n) => (o.concurrency = n)),
    pricing: (v) => (o.pricing = v),
    model: (v) => (o.model = v),
    baseline: (v, p) => (v === 'exact' ? (o.baseline = 'exact') : p.push(`--baseline: only 'exact' is supported, got '${v}'`)),
    limit: numberIn('limit', 1, 1e9, true, (n) => (o.limit = n)),
    json: (v) => (o.json = v),
    report: (v) => (o.report = v),
    'sweep-min': numberIn('sweep-min', 0, 1, false, (n) => (o.sweepMin = n)),
    'sweep-step': numberIn('sweep-step', 0.001, 0.5, false, (n) => (o.sweepStep = n)),
    'target-precision': numberIn('target-precision', 0, 1, false, (n) => (o.targetPrecision = n)),
    feedback: (v, p) => (v === 'true' || v === 'false' ? (o.feedback = v === 'true') : p.push(`--feedback: expected true or false, got '${v}'`)),
    'repeat-rate': numberIn('repeat-rate', 0, 0.95, false, (n) => (o.repeatRate = n)),
    'zipf-s': numberIn('zipf-s', 0, 10, false, (n) => (o.zipfS = n)),
    seed: numberIn('seed', 0, 0xffffffff, true, (n) => (o.seed = n)),
    windows: numberIn('windows', 1, 1000, true, (n) => (o.windows = n)),
    duration: numberIn('duration', 0.1, 3600, false, (n) => (o.durationMs = n * 1000)),
    'round-ms': numberIn('round-ms', 50, 60_000, true, (n) => (o.roundMs = n)),
    warm: numberIn('warm', 1, 10_000, true, (n) => (o.warm = n)),
    mix: (v, p) => {
      const mix = parseMix(v, p);
      if (mix !== undefined) o.mix = mix;
    },
    'sim-ttft-ms': numberIn('sim-ttft-ms', 0, 60_000, false, (n) => (o.simTtftMs = n)),
    'sim-tps': numberIn('sim-tps', 0, 1e9, false, (n) => (o.simTokensPerSecond = n)),
    'embed-workers': numberIn('embed-workers', 0, 64, true, (n) => (o.embedWorkers = n)),
    guards: (v) => (o.guards = v),
    set: (v, p) => {
      const eq = v.indexOf('=');
      if (eq <= 0 || !v.startsWith('SEMCACHE_')) p.push(`--set: expected SEMCACHE_NAME=VALUE, got '${v}'`);
      else o.set[v.slice(0, eq)] = v.slice(eq + 1);
    },
  };
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq >= 0 ? eq : undefined) : '';
    const setter = setters[name];
    if (setter === undefined) {
      problems.push(`${arg}: unknown flag`);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) problems.push(`--${name}: missing value`);
    else setter(value, problems);
  }
  if ((benchMode === 'pairs' || benchMode === 'stream') && o.file === undefined) problems.push(`--file is required for ${benchMode}`);
  if (benchMode === 'soak' && o.upstream !== undefined) problems.push('--upstream: soak runs against the simulator, whose answers name their prompt (that is how each answer is checked)');
  if (problems.length > 0) throw new BenchArgsError(problems.join('\n'));
  return o;
}
