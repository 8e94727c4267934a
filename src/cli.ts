#!/usr/bin/env node
// semcache <command>: serve | sim-upstream | demo | bench | calibrate
import { describeConfig, loadConfig, readEmbedApiKey } from './config.js';
import { DEFAULT_SERVE_STORE } from './config-store.js';
import { ConfigError } from './config-reader.js';
import { formatFlagHelp, settingFlags, wantsHelp } from './flag-help.js';
import { runBench } from './tools/bench/bench-command.js';
import { runCalibrate } from './tools/calibrate/calibrate-command.js';
import { runDemo } from './tools/demo/demo-command.js';
import { runStore } from './tools/store/store-command.js';
import { closeOnSignals, startServer } from './server.js';
import { StoreFileError } from './store/sqlite-file.js';
import { startSimUpstream } from './tools/sim/sim-app.js';
import { parseSimArgs, SimArgsError, simHelp } from './tools/sim/sim-options.js';

const USAGE = `Usage: semcache <command> [--flags]

Commands:
  serve          run the proxy (SEMCACHE_UPSTREAM_URL or --upstream-url is required)
  sim-upstream   run the simulated OpenAI-compatible GPU server
  demo           run the proxy in front of the simulated upstream and send a short workload
  bench <mode>   run the bench harness (pairs | stream | load | soak)
  store <cmd>    look after the cache's store: stats | export | import | verify
  calibrate      compute the threshold that reaches a target precision on labelled pairs

Every SEMCACHE_<NAME> variable is also a flag --<name> (e.g. --upstream-url, --port).
semcache <command> --help lists the command's flags.`;

const SERVE_USAGE = `Usage: semcache serve [--flags]

Runs the proxy. Every setting is an environment variable SEMCACHE_<NAME> or the flag --<name> (the
flag wins); all bad values are reported together at start.`;

/** `semcache serve --help`: every setting, from the reads that parse them (config.ts). */
export function serveHelp(): string {
  return formatFlagHelp(SERVE_USAGE, settingFlags(describeConfig({ store: DEFAULT_SERVE_STORE })));
}

async function serve(argv: readonly string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(serveHelp());
    return;
  }
  const config = loadConfig(process.env, argv, { store: DEFAULT_SERVE_STORE });
  if (config.upstream.url === undefined) {
    console.error(
      'semcache serve needs an upstream: set SEMCACHE_UPSTREAM_URL (or --upstream-url), e.g.\n  SEMCACHE_UPSTREAM_URL=http://127.0.0.1:8000/v1 semcache serve',
    );
    process.exitCode = 2;
    return;
  }
  const server = await startServer(config);
  server.app.log.info({ origin: server.origin, upstream: config.upstream.url.href }, 'semcache listening');
  closeOnSignals(server, config.server.shutdownGraceMs, (code) => process.exit(code));
}

async function simUpstream(argv: readonly string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(simHelp());
    return;
  }
  const args = parseSimArgs(argv);
  const sim = await startSimUpstream(args.options, { port: args.port, host: args.host });
  console.log(`simulated upstream listening: ${sim.url} (ttft ${args.options.ttftMs} ms, ${args.options.tokensPerSecond || 'unlimited'} tokens/s)`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

const COMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<void>>> = {
  serve,
  'sim-upstream': simUpstream,
  demo: (argv) => runDemo(argv, process.stdout),
  async calibrate(argv) {
    process.exitCode = await runCalibrate(argv, { stdout: process.stdout, stderr: process.stderr }, { embedApiKey: readEmbedApiKey(process.env) });
  },
  async store(argv) {
    process.exitCode = await runStore(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, process.env);
  },
  async bench(argv) {
    const code = await runBench(argv, { stdout: process.stdout, stderr: process.stderr, isTTY: process.stderr.isTTY === true }, { env: process.env });
    // Exit even if something the bench started still holds the event loop.
    process.exit(code);
  },
};

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  const run = command === undefined ? undefined : COMMANDS[command];
  if (run === undefined) {
    const asked = command === undefined || command === '--help' || command === '-h';
    if (asked) console.log(USAGE);
    else console.error(`unknown command ${command}\n\n${USAGE}`);
    process.exitCode = asked ? 0 : 2;
    return;
  }
  await run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof StoreFileError) {
    console.error(`semcache: ${error.message}`);
    if (error.badContent)
      console.error('Fix or remove the file, point SEMCACHE_STORE elsewhere, or set SEMCACHE_STORE_ON_BAD_FILE=move-aside to keep it aside and start empty.');
    process.exitCode = 2;
    return;
  }
  if (error instanceof ConfigError || error instanceof SimArgsError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
