// Per-request overrides of the simulator's knobs, from the `x-sim-fault` header: a comma list of
// `name=value` items (or bare `reset`), e.g. `error=503`, `error-rate=0.5,error=429`, `stall=2000`,
// `reset`, `cut=3`, `ttft=100`, `tps=20`, `salt=abc`, `topic=t` (answer for t, whatever the prompt), `tokens=12`. `error=S` alone fails every
// request with S; add `error-rate=R` to fail only a share R. Unknown items are refused (400), so a
// typo in a test shows up instead of silently testing nothing.

import type { SimOptions } from './sim-options.js';

export const FAULT_HEADER = 'x-sim-fault';

export type FaultKnobs = Pick<
  SimOptions,
  'ttftMs' | 'tokensPerSecond' | 'errorStatus' | 'errorRate' | 'stallMs' | 'resetRate' | 'cutAfterChunks' | 'answerTokens' | 'answerSalt' | 'answerTopic'
>;

export type FaultHeaderResult = { ok: true; overrides: Partial<FaultKnobs> } | { ok: false; message: string };

interface NumericItem {
  key: keyof FaultKnobs;
  min: number;
  max: number;
  integer: boolean;
}

const NUMERIC_ITEMS: Readonly<Record<string, NumericItem>> = {
  error: { key: 'errorStatus', min: 400, max: 599, integer: true },
  'error-rate': { key: 'errorRate', min: 0, max: 1, integer: false },
  stall: { key: 'stallMs', min: 0, max: 3_600_000, integer: false },
  'reset-rate': { key: 'resetRate', min: 0, max: 1, integer: false },
  cut: { key: 'cutAfterChunks', min: 0, max: 1e9, integer: true },
  ttft: { key: 'ttftMs', min: 0, max: 3_600_000, integer: false },
  tps: { key: 'tokensPerSecond', min: 0, max: 1e9, integer: false },
  tokens: { key: 'answerTokens', min: 1, max: 1e6, integer: true },
};

export function parseFaultHeader(header: string | string[] | undefined): FaultHeaderResult {
  if (header === undefined) return { ok: true, overrides: {} };
  const text = Array.isArray(header) ? header.join(',') : header;
  const overrides: Record<string, number | string> = {};
  const problems: string[] = [];
  for (const rawItem of text.split(',')) {
    const item = rawItem.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq >= 0 ? item.slice(0, eq) : item).trim();
    const value = eq >= 0 ? item.slice(eq + 1).trim() : undefined;
    if (name === 'reset' && value === undefined) {
      overrides.resetRate = 1;
    } else if (name === 'salt' && value !== undefined) {
      overrides.answerSalt = value;
    } else if (name === 'topic' && value !== undefined) {
      overrides.answerTopic = value;
    } else {
      const spec = NUMERIC_ITEMS[name];
      const number = value === undefined || value === '' ? Number.NaN : Number(value);
      if (spec === undefined) problems.push(`unknown item '${item}'`);
      else if (!Number.isFinite(number) || (spec.integer && !Number.isInteger(number)) || number < spec.min || number > spec.max)
        problems.push(`'${item}': expected ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`);
      else overrides[spec.key] = number;
    }
  }
  if (problems.length > 0) return { ok: false, message: `invalid ${FAULT_HEADER} header: ${problems.join('; ')}` };
  if (overrides.errorStatus !== undefined && overrides.errorRate === undefined) overrides.errorRate = 1;
  return { ok: true, overrides: overrides as Partial<FaultKnobs> };
}
