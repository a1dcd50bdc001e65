import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppOptions, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openTestDatabase } from './test-database.ts';

/** The secret every test app uses; long enough to pass validation. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-validation';

/**
 * Starts the real app on an isolated database (PGlite, or PostgreSQL when DATABASE_URL is set), optionally with the
 * demo university. `close()` stops everything and removes the database.
 */
export async function startTestApp(
  options: AppOptions & { seed?: boolean; env?: Record<string, string> } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-test-'));
  const { database, drop } = await openTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    STACKABLE_SECRET: TEST_SECRET,
    STACKABLE_DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3999',
    ...options.env,
  });
  const app = await createApp(config, { jobPollingIntervalSeconds: 0.5, ...options, database });
  if (options.seed) await app.services.demo.seedIfEmpty();
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
