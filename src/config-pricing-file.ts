// Parses a pricing file (JSON or YAML, see README.md) into Pricing, collecting a problem for every
// bad or unknown field so that one error lists them all.
import { parse as parseYaml } from 'yaml';
import { OVERALL_NAME, TARGET_SCOPES, type Cp1ktTarget, type PriceEntry, type Pricing, type TargetScope } from './config-pricing.js';

export interface ParsedPricing {
  readonly pricing: Pricing;
  readonly problems: readonly string[];
}

type Fields = Readonly<Record<string, unknown>>;

const API_FIELDS = ['model', 'name', 'kind', 'inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok'];
const GPU_FIELDS = ['model', 'name', 'kind', 'usdPerGpuHour', 'gpus', 'tokensPerSecond'];
const TARGET_FIELDS = ['scope', 'name', 'cp1ktUsd'];

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads typed fields of one object, recording a problem per bad field under `path`. */
function fieldReader(fields: Fields, path: string, problems: string[]) {
  const bad = (key: string, expected: string): void => {
    problems.push(`${path}.${key} must be ${expected} (got ${JSON.stringify(fields[key]) ?? 'nothing'})`);
  };
  return {
    unknown(allowed: readonly string[]): void {
      for (const key of Object.keys(fields)) {
        if (!allowed.includes(key)) problems.push(`${path}.${key} is not a known field (known: ${allowed.join(', ')})`);
      }
    },
    text(key: string, required: boolean): string | undefined {
      const value = fields[key];
      if (value === undefined && !required) return undefined;
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      bad(key, 'a non-empty string');
      return undefined;
    },
    number(key: string, options: { required: boolean; positive: boolean; integer?: boolean }): number | undefined {
      const value = fields[key];
      if (value === undefined && !options.required) return undefined;
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (options.positive ? value > 0 : value >= 0) &&
        (options.integer !== true || Number.isInteger(value));
      if (ok) return value;
      bad(key, `a ${options.integer === true ? 'whole ' : ''}number ${options.positive ? '> 0' : '>= 0'}`);
      return undefined;
    },
  };
}

function parseEntry(raw: unknown, path: string, problems: string[]): PriceEntry | undefined {
  if (!isFields(raw)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const read = fieldReader(raw, path, problems);
  const model = read.text('model', true);
  const name = read.text('name', false);
  const before = problems.length;
  if (raw['kind'] === 'api') {
    read.unknown(API_FIELDS);
    const inputPerMTok = read.number('inputPerMTok', { required: true, positive: false });
    const outputPerMTok = read.number('outputPerMTok', { required: true, positive: false });
    const cachedInputPerMTok = read.number('cachedInputPerMTok', { required: false, positive: false });
    if (model === undefined || inputPerMTok === undefined || outputPerMTok === undefined || problems.length > before) return undefined;
    return { kind: 'api', model, name: name ?? `api:${model}`, inputPerMTok, outputPerMTok, cachedInputPerMTok };
  }
  if (raw['kind'] === 'gpu') {
    read.unknown(GPU_FIELDS);
    const usdPerGpuHour = read.number('usdPerGpuHour', { required: true, positive: false });
    const gpus = read.number('gpus', { required: true, positive: true, integer: true });
    const tokensPerSecond = read.number('tokensPerSecond', { required: false, positive: true });
    if (model === undefined || usdPerGpuHour === undefined || gpus === undefined || problems.length > before) return undefined;
    return { kind: 'gpu', model, name: name ?? `gpu:${model}`, usdPerGpuHour, gpus, tokensPerSecond };
  }
  problems.push(`${path}.kind must be "api" or "gpu" (got ${JSON.stringify(raw['kind']) ?? 'nothing'})`);
  return undefined;
}

function parseTarget(raw: unknown, path: string, problems: string[]): Cp1ktTarget | undefined {
  if (!isFields(raw)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const read = fieldReader(raw, path, problems);
  const before = problems.length;
  read.unknown(TARGET_FIELDS);
  const scope = TARGET_SCOPES.find((s) => s === raw['scope']);
  if (scope === undefined) problems.push(`${path}.scope must be one of ${TARGET_SCOPES.join(', ')} (got ${JSON.stringify(raw['scope']) ?? 'nothing'})`);
  const name = scope === 'overall' ? OVERALL_NAME : read.text('name', true);
  const cp1ktUsd = read.number('cp1ktUsd', { required: true, positive: true });
  if (scope === undefined || name === undefined || cp1ktUsd === undefined || problems.length > before) return undefined;
  return { scope: scope satisfies TargetScope, name, cp1ktUsd };
}

function parseList<T>(doc: Fields, key: string, parseItem: (raw: unknown, path: string, problems: string[]) => T | undefined, problems: string[]): T[] {
  const list = doc[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push(`${key} must be a list`);
    return [];
  }
  const items: T[] = [];
  list.forEach((raw: unknown, index) => {
    const item = parseItem(raw, `${key}[${index}]`, problems);
    if (item !== undefined) items.push(item);
  });
  return items;
}

/** `format` follows the file's extension: `.json` is JSON, anything else YAML (a superset of JSON). */
export function parsePricing(text: string, format: 'json' | 'yaml'): ParsedPricing {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return { pricing: { models: [], targets: [] }, problems: [`not valid ${format.toUpperCase()}: ${(error as Error).message}`] };
  }
  if (!isFields(doc)) return { pricing: { models: [], targets: [] }, problems: ['the top level must be an object with `models` and `targets`'] };
  for (const key of Object.keys(doc)) {
    if (key !== 'models' && key !== 'targets') problems.push(`${key} is not a known top-level field (known: models, targets)`);
  }
  const models = parseList(doc, 'models', parseEntry, problems);
  const targets = parseList(doc, 'targets', parseTarget, problems);
  return { pricing: { models, targets }, problems };
}
