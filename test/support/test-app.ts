import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_PASSWORD_COST } from '../../src/accounts/password.ts';
import { createApp } from '../../src/app.ts';
import type { AppOptions } from '../../src/app-services.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openTestDatabase } from './test-database.ts';
import { testAppEnv } from './test-snapshots.ts';

export { TEST_SECRET } from './test-snapshots.ts';

/**
 * Starts the real app on an isolated database (PGlite, or PostgreSQL when DATABASE_URL is set), optionally with the
 * demo university. `close()` stops everything and removes the database.
 */
export async function startTestApp(
  options: AppOptions & { seed?: boolean; env?: Record<string, string> } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-test-'));
  const { database, drop, isSeeded } = await openTestDatabase({
    // The app will start its job queue anyway: the snapshot that already holds one saves it the tables.
    start: options.seed ? 'seeded' : 'started',
  });
  const config = loadConfig({ ...testAppEnv(dataDir), ...options.env });
  const app = await createApp(config, {
    passwordCost: TEST_PASSWORD_COST,
    ...options,
    database,
  });
  // The run's seeded snapshot holds what seeding writes; seeding only reads the config's database, so a test's own
  // settings (a clock, PUBLIC_URL, NODE_ENV) cannot make it differ.
  if (options.seed && !isSeeded) await app.services.demo.seedIfEmpty();
  // What close() stops, held where close() can let go of it (see `forget`).
  let running: { app: typeof app; drop: () => Promise<void> } | undefined = { app, drop };
  const handle = {
    ...app,
    async close() {
      const closing = running;
      if (!closing) return;
      running = undefined;
      try {
        await closing.app.close().catch(() => undefined);
        await closing.drop().catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
      } finally {
        forget(handle);
      }
    },
  };
  return handle;
}

/**
 * Empties a closed test app's handle. A test file keeps its handle in a variable for good (the module stays loaded,
 * and the test runner keeps every finished test's hooks), and the test files of a shard run one after another in
 * one process: without this, every app a shard ever started stayed reachable, with its routes, its compiled schemas
 * and its database, and each collection walked them all again.
 */
function forget(handle: object): void {
  for (const key of Object.keys(handle)) {
    if (key !== 'close') Reflect.deleteProperty(handle, key);
  }
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
