// Builders shared by the metrics tests: a config, a request record, a fake logger, and a parser of
// the Prometheus text format.
import type { MetricsConfig } from '../../src/config-finops.js';
import type { LogSink } from '../../src/logger.js';
import type { Pricing } from '../../src/config-pricing.js';
import type { RequestRecord } from '../../src/finops/request-record.js';

/** A bucket boundary (60 s buckets of a 3600 s window), so bucket arithmetic in tests is exact. */
export const T0 = 1_200_000_000;
export const ALICE_HASH = 'a11ce00000000000';

export function metricsConfig(pricing: Pricing, overrides: Partial<MetricsConfig> = {}): MetricsConfig {
  return {
    pricingFile: undefined,
    pricing,
    windowSeconds: 3600,
    tenantAliases: new Map([[ALICE_HASH, 'alice']]),
    allowTenantHeader: false,
    tenants: [],
    useCases: ['chat', 'summarize'],
    embedCpuHourUsd: 0.04,
    webhookUrl: undefined,
    route: { cheapUpstreamUrl: undefined, cheapModel: undefined, useCases: [] },
    ...overrides,
  };
}

export function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  const model = overrides.model ?? 'gpt-4o';
  return {
    endpoint: 'chat',
    model,
    servedModel: model,
    keyHash: ALICE_HASH,
    tenantHeader: undefined,
    useCaseHeader: 'chat',
    cacheStatus: 'miss',
    statusCode: 200,
    processed: undefined,
    saved: undefined,
    similarity: undefined,
    guardRejected: undefined,
    route: 'primary',
    durations: { totalMs: 1200, firstByteMs: 300, upstreamMs: 1150, embedMs: 4, searchMs: 0.2 },
    embedComputeMs: 0,
    ...overrides,
  };
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly object: object;
  readonly message: string;
}

export function fakeLogger(): LogSink & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (object, message) => void lines.push({ level: 'info', object, message }),
    warn: (object, message) => void lines.push({ level: 'warn', object, message }),
    error: (object, message) => void lines.push({ level: 'error', object, message }),
  };
}

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] ?? ''] = pair[2] ?? '';
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The one sample with this name whose labels include `labels`; throws when absent or ambiguous. */
export function value(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? NaN;
}

export function sum(samples: readonly Sample[], name: string): number {
  return samples.filter((s) => s.name === name).reduce((total, s) => total + s.value, 0);
}
