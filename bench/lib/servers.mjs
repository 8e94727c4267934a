// Starts a bench server (see server-child.mjs) in its own process and waits for its port.
import { fork } from 'node:child_process';
import { once } from 'node:events';

const CHILD = new URL('./server-child.mjs', import.meta.url);
const START_TIMEOUT_MS = 120_000;

/** @returns {Promise<{ origin: string, pid: number, close: () => Promise<void> }>} */
export async function startServer(spec) {
  // stdout is discarded (semcache logs one line per request there, as in production); errors show.
  const child = fork(CHILD, [JSON.stringify(spec)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    const [message] = await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`bench server ${spec.kind} exited with code ${code} before listening`);
      }),
    ]);
    return {
      origin: `http://127.0.0.1:${message.port}`,
      pid: child.pid,
      async close() {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.send('close');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
