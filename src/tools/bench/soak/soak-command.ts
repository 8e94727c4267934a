// `semcache bench soak [--duration S] [--concurrency N] [--seed N] [--file prompts.jsonl]
// [--json F] [--report F.md] [--set SEMCACHE_X=V]`: runs the soak, prints its table, writes its
// JSON and report. Exit code 0 when it passed, 1 when it did not (or failed to run), 130 when
// interrupted (the figures so far are still written).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BenchOptions } from '../bench-args.js';
import type { BenchIo, BenchRunOptions } from '../bench-command.js';
import { listenForInterruption } from '../interruption.js';
import { parseStream } from '../stream-file.js';
import { runSoak } from './soak-mode.js';
import { soakMarkdown, soakText } from './soak-result.js';

const EXIT_INTERRUPTED = 130;

function commandLine(argv: readonly string[]): string {
  return ['semcache', 'bench', ...argv.map((a) => (/^[\w./:=,@-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

/** The proxy's SEMCACHE_* settings: the caller's environment, then --embed-workers, --guards, --set. */
function settingsOf(options: BenchOptions, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('SEMCACHE_') && e[1] !== undefined));
  return {
    ...inherited,
    ...(options.embedWorkers === undefined ? {} : { SEMCACHE_EMBED_WORKERS: String(options.embedWorkers) }),
    ...(options.guards === undefined ? {} : { SEMCACHE_GUARDS: options.guards }),
    ...options.set,
  };
}

async function write(path: string, text: string, io: BenchIo): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  io.stderr.write(`wrote ${path}\n`);
}

export async function runSoakCommand(options: BenchOptions, argv: readonly string[], io: BenchIo, runOptions: BenchRunOptions): Promise<number> {
  const prompts = options.file === undefined ? [] : parseStream(await readFile(options.file, 'utf8'), options.limit).map((p) => p.prompt);
  const interruption = listenForInterruption(runOptions);
  try {
    const result = await runSoak({
      durationMs: options.durationMs,
      concurrency: options.concurrency,
      seed: options.seed,
      model: options.model,
      prompts,
      settings: settingsOf(options, runOptions.env ?? {}),
      signal: interruption.signal,
      progress: { stream: io.stderr, isTTY: io.isTTY },
    });
    io.stdout.write(`\n${soakText(result)}\n`);
    if (options.json !== undefined) await write(options.json, `${JSON.stringify(result, null, 2)}\n`, io);
    if (options.report !== undefined) await write(options.report, soakMarkdown(result, commandLine(argv)), io);
    if (result.interrupted) return EXIT_INTERRUPTED;
    return result.passed ? 0 : 1;
  } catch (error) {
    io.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    interruption.release();
  }
}
