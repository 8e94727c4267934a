// The bench shuts down every server it started: after a normal run, and when SIGINT arrives.
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED, runBench, type SignalSource } from '../../../src/tools/bench/bench-command.js';
import { captureIo } from './bench-io.js';

const FIXTURE = join(import.meta.dirname, '../../../bench/fixtures/pairs-small.tsv');

function refused(origin: string): Promise<boolean> {
  const url = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('bench shutdown', () => {
  it('closes the proxy and the simulated upstream after a run', async () => {
    let origins: readonly string[] = [];
    const io = captureIo();
    const code = await runBench(['pairs', '--file', FIXTURE, '--limit', '2', '--embed-workers', '1'], io, {
      env: {},
      onStarted: (stack) => (origins = stack.started),
    });
    expect(code, io.err()).toBe(0);
    expect(origins).toHaveLength(2);
    expect(await Promise.all(origins.map(refused))).toEqual([true, true]);
  }, 60_000);

  it('stops, closes every server and exits 130 on SIGINT', async () => {
    const signals = new EventEmitter();
    let origins: readonly string[] = [];
    const io = captureIo();
    const code = await runBench(['pairs', '--file', FIXTURE, '--embed-workers', '1', '--concurrency', '1', '--baseline', 'exact'], io, {
      env: {},
      signals: signals as SignalSource,
      onStarted: (stack) => {
        origins = stack.started;
        signals.emit('SIGINT');
      },
    });
    expect(code).toBe(EXIT_INTERRUPTED);
    expect(await Promise.all(origins.map(refused))).toEqual([true, true]);
    // The baseline is not started once interrupted, and the listeners are gone.
    expect(io.err().match(/proxy http/g)).toHaveLength(1);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  }, 60_000);

  it('exits 2 with the usage on a bad flag, starting nothing', async () => {
    const io = captureIo();
    expect(await runBench(['pairs', '--file', FIXTURE, '--threshold', '2'], io)).toBe(2);
    expect(io.err()).toContain("--threshold: expected a number in [0, 1], got '2'");
    expect(io.err()).toContain('Usage: semcache bench');
  });
});
