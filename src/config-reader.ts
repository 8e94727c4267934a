// Reads typed settings from SEMCACHE_* variables and the matching --kebab-case flags (a flag wins
// over the variable), collecting every bad value so that one error can list them all.

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

export interface ConfigReader {
  string(name: string, fallback: string): string;
  optionalString(name: string): string | undefined;
  int(name: string, fallback: number, bounds?: NumberBounds): number;
  optionalInt(name: string, bounds?: NumberBounds): number | undefined;
  number(name: string, fallback: number, bounds?: NumberBounds): number;
  bool(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  list(name: string, fallback: readonly string[]): readonly string[];
  optionalUrl(name: string): URL | undefined;
  problem(message: string): void;
  /** Throws a ConfigError listing every problem found so far, if any. */
  finish(): void;
}

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

export function createConfigReader(env: NodeJS.ProcessEnv, flags: ReadonlyMap<string, string>): ConfigReader {
  const problems: string[] = [];
  const known = new Set<string>();

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

  const numeric = (name: string, fallback: number, bounds: NumberBounds, integer: boolean): number => {
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
    string: (name, fallback) => raw(name)?.value ?? fallback,
    optionalString: (name) => raw(name)?.value,
    int: (name, fallback, bounds = {}) => numeric(name, fallback, bounds, true),
    optionalInt: (name, bounds = {}) => (raw(name) === undefined ? undefined : numeric(name, Number.NaN, bounds, true)),
    number: (name, fallback, bounds = {}) => numeric(name, fallback, bounds, false),
    bool(name, fallback) {
      const found = raw(name);
      if (found === undefined) return fallback;
      const word = found.value.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      problems.push(`${found.source}=${JSON.stringify(found.value)} is not a boolean (true/false)`);
      return fallback;
    },
    oneOf(name, choices, fallback) {
      const found = raw(name);
      if (found === undefined) return fallback;
      const match = choices.find((choice) => choice === found.value);
      if (match === undefined) {
        problems.push(`${found.source}=${JSON.stringify(found.value)} must be one of ${choices.join(', ')}`);
        return fallback;
      }
      return match;
    },
    list(name, fallback) {
      const found = raw(name);
      if (found === undefined) return fallback;
      return found.value.split(',').map((item) => item.trim()).filter((item) => item !== '');
    },
    optionalUrl(name) {
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
  };
}
