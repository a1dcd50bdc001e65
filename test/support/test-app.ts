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
  return {
    ...app,
    async close() {
      await app.close().catch(() => undefined);
      await drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
