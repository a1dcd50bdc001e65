/**
 * What the backup, restore and move tests share: the real databases on either side of a backup (an in-memory PGlite,
 * a PostgreSQL database of their own), the app on a database it did not open, and the rows per table to compare.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { TEST_PASSWORD_COST } from '../../src/accounts/password.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { describeTables } from '../../src/platform/db/backup/schema-catalog.ts';
import {
  type Database,
  type MemoryDatabase,
  openDatabase,
  openMemoryDatabase,
} from '../../src/platform/db/database.ts';
import type { TestApp } from './test-app.ts';
import { cachedTarball, createTestDatabase, databaseUrl, testAppEnv, withAdmin } from './test-snapshots.ts';

/** The PostgreSQL server a backup goes to or comes from: DATABASE_URL's, or the local one. */
export const backupServerUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether that server answers; without it, only the PostgreSQL halves are skipped. */
export async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: backupServerUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database of its own on that server; `drop` closes and removes it. */
export async function aPostgresDatabase(): Promise<{
  database: Database;
  url: string;
  drop(): Promise<void>;
}> {
  const name = `stackable_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(backupServerUrl, (client) => createTestDatabase(client, name));
  const url = databaseUrl(backupServerUrl, name);
  const database = await openDatabase({ kind: 'postgres', url });
  return {
    database,
    url,
    async drop() {
      await database.close().catch(() => undefined);
      await withAdmin(backupServerUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

/** An in-memory PGlite: `empty` as initdb leaves it, or `migrated`. */
export async function aPgliteDatabase(start: 'empty' | 'migrated'): Promise<MemoryDatabase> {
  return openMemoryDatabase(await cachedTarball(start));
}

/** The real app, without workers, on a database it did not open; closing the app closes the database. */
export async function appOn(database: Database, dataDir: string): Promise<TestApp> {
  const app = await createApp(loadConfig(testAppEnv(dataDir)), {
    database,
    runJobs: false,
    passwordCost: TEST_PASSWORD_COST,
  });
  return { ...app, close: () => app.close() };
}

/** Rows per table, through the catalog: every table of ours. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of await describeTables(database.db)) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(name)}`.execute(
      database.db,
    );
    counts[name] = rows[0]?.n ?? 0;
  }
  return counts;
}
