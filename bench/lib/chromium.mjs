// Headless Debian Chromium (/usr/bin/chromium) driven by playwright-core, which never downloads a
// browser: for the dashboard's bench and its screenshot script. (The end-to-end test has its own
// typed copy in test/dashboard/chromium.ts, with the CI check.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Offline, quiet and sandbox-free (run as root in containers). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a new, empty profile, removed by `close`. */
export async function launchChromium({ viewport } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'semcache-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    ...(viewport === undefined ? {} : { viewport }),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
