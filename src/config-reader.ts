// Reads typed settings from SEMCACHE_* variables and the matching --kebab-case flags (a flag wins
// over the variable), collecting every bad value so that one error can list them all. Every read
// names its setting's meaning, so that the reader also describes what it read: `--help` and the
// README's configuration table are made from that description (config-help.ts).

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
}

/** A setting's meaning in one line; with `shown`, the default as a person reads it, when the value
 * alone would mislead (it is computed, e.g. from the number of cores). */
export type SettingDoc = string | { readonly help: string; readonly shown: string };

export interface SettingDescription {
  /** e.g. UPSTREAM_TIMEOUT_MS */
  readonly name: string;
  readonly env: string;
  readonly flag: string;
  /** The kind of value the flag takes, e.g. `<int>` or `use|transformers`. */
  readonly value: string;
  readonly default: string;
  readonly help: string;
}

export interface ConfigReader {
  string(name: string, fallback: string, doc: SettingDoc): string;
  optionalString(name: string, doc: SettingDoc): string | undefined;
  int(name: string, fallback: number, doc: SettingDoc, bounds?: NumberBounds): number;
  optionalInt(name: string, doc: SettingDoc, bounds?: NumberBounds): number | undefined;
  number(name: string, fallback: number, doc: SettingDoc, bounds?: NumberBounds): number;
  bool(name: string, fallback: boolean, doc: SettingDoc): boolean;
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T, doc: SettingDoc): T;
  list(name: string, fallback: readonly string[], doc: SettingDoc): readonly string[];
  optionalUrl(name: string, doc: SettingDoc): URL | undefined;
  problem(message: string): void;
  /** Throws a ConfigError listing every problem found so far, if any. */
  finish(): void;
  /** Every setting read so far, in reading order. */
  settings(): readonly SettingDescription[];
}

/** What an unset setting without a default is shown as. */
export const NO_DEFAULT = '(none)';

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** `UPSTREAM_TIMEOUT_MS` is read from `SEMCACHE_UPSTREAM_TIMEOUT_MS` or `--upstream-timeout-ms`. */
export function flagName(name: string): string {
  return `--${name.toLowerCase().replaceAll('_', '-')}`;
}

export function parseFlags(argv: readonly string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(0, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      flags.set(arg, 'true');
    } else {
      flags.set(arg, next);
      i += 1;
    }
  }
  return { flags, positional };
}

function describe(name: string, value: string, fallback: string, doc: SettingDoc): SettingDescription {
  const help = typeof doc === 'string' ? doc : doc.help;
  const shown = typeof doc === 'string' ? fallback : doc.shown;
  return { name, env: `SEMCACHE_${name}`, flag: flagName(name), value, default: shown === '' ? NO_DEFAULT : shown, help };
}

function boundsText(bounds: NumberBounds, kind: 'int' | 'number'): string {
  if (bounds.min === undefined && bounds.max === undefined) return `<${kind}>`;
  return `<${kind} ${bounds.min ?? '-inf'}..${bounds.max ?? 'inf'}>`;
}

export function createConfigReader(env: NodeJS.ProcessEnv, flags: ReadonlyMap<string, string>): ConfigReader {
  const problems: string[] = [];
  const known = new Set<string>();
  const described = new Map<string, SettingDescription>();
  const note = (description: SettingDescription): void => {
    if (!described.has(description.name)) described.set(description.name, description);
  };

  const raw = (name: string): { value: string; source: string } | undefined => {
    const flag = flagName(name);
    known.add(flag);
    const fromFlag = flags.get(flag);
    if (fromFlag !== undefined) return { value: fromFlag, source: flag };
    const variable = `SEMCACHE_${name}`;
    const fromEnv = env[variable];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return { value: fromEnv.trim(), source: variable };
    return undefined;
  };

  const numeric = (name: string, fallback: number, doc: SettingDoc, bounds: NumberBounds, integer: boolean): number => {
    note(describe(name, boundsText(bounds, integer ? 'int' : 'number'), String(fallback), doc));
    const found = raw(name);
    if (found === undefined) return fallback;
    const value = Number(found.value);
    const kind = integer ? 'an integer' : 'a number';
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      problems.push(`${found.source}=${JSON.stringify(found.value)} is not ${kind}`);
      return fallback;
    }
    if ((bounds.min !== undefined && value < bounds.min) || (bounds.max !== undefined && value > bounds.max)) {
      problems.push(`${found.source}=${found.value} is out of range [${bounds.min ?? '-inf'}, ${bounds.max ?? 'inf'}]`);
      return fallback;
    }
    return value;
  };

  return {
    string(name, fallback, doc) {
      note(describe(name, '<text>', fallback, doc));
      return raw(name)?.value ?? fallback;
    },
    optionalString(name, doc) {
      note(describe(name, '<text>', '', doc));
      return raw(name)?.value;
    },
    int: (name, fallback, doc, bounds = {}) => numeric(name, fallback, doc, bounds, true),
    optionalInt(name, doc, bounds = {}) {
      const value = numeric(name, Number.NaN, typeof doc === 'string' ? { help: doc, shown: '' } : doc, bounds, true);
      return Number.isNaN(value) ? undefined : value;
    },
    number: (name, fallback, doc, bounds = {}) => numeric(name, fallback, doc, bounds, false),
    bool(name, fallback, doc) {
      note(describe(name, 'true|false', String(fallback), doc));
      const found = raw(name);
      if (found === undefined) return fallback;
      const word = found.value.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      problems.push(`${found.source}=${JSON.stringify(found.value)} is not a boolean (true/false)`);
      return fallback;
    },
    oneOf(name, choices, fallback, doc) {
      note(describe(name, choices.join('|'), fallback, doc));
      const found = raw(name);
      if (found === undefined) return fallback;
      const match = choices.find((choice) => choice === found.value);
      if (match === undefined) {
        problems.push(`${found.source}=${JSON.stringify(found.value)} must be one of ${choices.join(', ')}`);
        return fallback;
      }
      return match;
    },
    list(name, fallback, doc) {
      note(describe(name, '<a,b,...>', fallback.join(','), doc));
      const found = raw(name);
      if (found === undefined) return fallback;
      return found.value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    },
    optionalUrl(name, doc) {
      note(describe(name, '<url>', '', doc));
      const found = raw(name);
      if (found === undefined) return undefined;
      try {
        const url = new URL(found.value);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
        return url;
      } catch {
        problems.push(`${found.source}=${JSON.stringify(found.value)} is not an http(s) URL`);
        return undefined;
      }
    },
    problem: (message) => {
      problems.push(message);
    },
    finish() {
      for (const flag of flags.keys()) {
        if (!known.has(flag)) problems.push(`unknown flag ${flag}`);
      }
      if (problems.length > 0) throw new ConfigError(problems);
    },
    settings: () => [...described.values()],
  };
}
