import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase, openMemoryDatabase } from '../../src/platform/db/database.ts';

/** Which backend the tests run on: PostgreSQL when DATABASE_URL is set, PGlite otherwise. */
export const testBackend = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A database of its own for one test file: an in-memory PGlite, or a fresh database on the PostgreSQL server named
 * by DATABASE_URL (dropped again by `drop`). Tests never share data, so they can run in parallel.
 */
export async function openTestDatabase(): Promise<{
  database: Database;
  url: string | undefined;
  drop(): Promise<void>;
}> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openMemoryDatabase();
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `stackable_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await withAdmin(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdmin(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
