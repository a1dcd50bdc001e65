/**
 * The real app for a benchmark, on the database a deployment would use: PGlite on disk (as `npm start`
 * runs without DATABASE_URL) or a throw-away database on a PostgreSQL server, with the demo university.
 * Everything is removed again by `close()`, except with BENCH_KEEP_DATABASE=1: then the PostgreSQL database
 * is kept and its URL printed, so a grown university (minutes to build) can be studied with EXPLAIN again and
 * again; drop it by hand afterwards (`drop database stackable_bench_…`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import type { AppOptions } from '../../src/app-services.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { keepHeapNearLiveSize } from '../../src/platform/heap-growth.ts';

export type Backend = 'pglite' | 'postgres';

/** The PostgreSQL server the benchmarks use (`BENCH_POSTGRES_URL`); each run makes its own database on it. */
export const benchPostgresUrl =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function startBenchApp(
  backend: Backend,
  options: AppOptions & { env?: Record<string, string> } = {},
) {
  // As the `stackable` command does at start (src/cli/main.ts), so a bench's memory is what an operator's would be.
  keepHeapNearLiveSize();
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-'));
  const throwaway = backend === 'postgres' ? await createThrowawayDatabase() : undefined;
  const databaseUrl = throwaway?.url;
  const keepDatabase = process.env.BENCH_KEEP_DATABASE === '1' && databaseUrl !== undefined;
  const dropDatabase = keepDatabase
    ? async () => console.log(`BENCH_KEEP_DATABASE: kept ${databaseUrl}`)
    : (throwaway?.drop ?? (async () => {}));
  const config = loadConfig({
    NODE_ENV: 'test',
    STACKABLE_SECRET: 'bench-secret-that-is-long-enough-for-validation',
    STACKABLE_DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3999',
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  const app = await createApp(config, { runJobs: false, ...options });
  await app.services.demo.seedIfEmpty();
  return {
    ...app,
    async close() {
      await app.close().catch((e) => console.error('close failed', e));
      await dropDatabase().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type BenchApp = Awaited<ReturnType<typeof startBenchApp>>;

/** A new empty database on the benchmark's PostgreSQL server, and how to drop it again. */
export async function createThrowawayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `stackable_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(benchPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`drop database if exists ${name} with (force)`)),
  };
}

async function withAdmin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: benchPostgresUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
