// pglite-only: every database here is an in-memory PGlite, so a run on PostgreSQL would repeat the PGlite run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { cachedTarball } from '../../../test/support/test-snapshots.ts';
import { DataFolderImage, readTarEntries } from './data-folder-image.ts';
import { type MemoryDatabase, openMemoryDatabase } from './database.ts';

describe('a data-folder image starting in-memory databases', () => {
  let image: DataFolderImage;
  const opened: MemoryDatabase[] = [];
  const open = async () => {
    const database = await openMemoryDatabase(image);
    opened.push(database);
    return database;
  };
  const cohorts = async (database: MemoryDatabase) =>
    (await sql<{ name: string }>`select name from cohort order by name`.execute(database.db)).rows.map(
      (row) => row.name,
    );

  before(async () => {
    // An empty cluster, as initdb leaves it (cached, since initdb takes seconds).
    const source = await openMemoryDatabase(await cachedTarball('empty'));
    await sql`create table cohort (name text primary key)`.execute(source.db);
    await sql`insert into cohort values ('Fall 2026')`.execute(source.db);
    await sql`checkpoint`.execute(source.db);
    // A Buffer, as the test runner's snapshots are read from disk.
    image = new DataFolderImage(Buffer.from(await (await source.snapshot()).arrayBuffer()));
    await source.close();
  });
  after(async () => {
    for (const database of opened) await database.close();
  });

  test('a database started from it holds what the source held', async () => {
    assert.deepEqual(await cohorts(await open()), ['Fall 2026']);
  });

  test('each database writes to its own copy: a write in one is not seen by another or by the next', async () => {
    const imageBefore = Buffer.from(await image.arrayBuffer());
    const first = await open();
    const second = await open();
    await sql`insert into cohort values ('Spring 2027')`.execute(first.db);
    await sql`update cohort set name = 'Renamed' where name = 'Fall 2026'`.execute(second.db);
    // A checkpoint writes the changed pages into the table's file and the WAL, both files the image started: the
    // writes must land in the database's own copy of them.
    await sql`checkpoint`.execute(first.db);
    await sql`checkpoint`.execute(second.db);
    assert.ok(imageBefore.equals(Buffer.from(await image.arrayBuffer())), 'the image is unchanged');
    assert.deepEqual(await cohorts(first), ['Fall 2026', 'Spring 2027']);
    assert.deepEqual(await cohorts(second), ['Renamed']);
    assert.deepEqual(await cohorts(await open()), ['Fall 2026']);
  });

  test('its tarball reads as the data folder: its files, and the folder each sits in', async () => {
    const entries = readTarEntries(new Uint8Array(await image.arrayBuffer()));
    const version = entries.find((entry) => entry.path === 'PG_VERSION');
    assert.ok(version && !version.isFolder && version.size > 0);
    const folders = new Set(entries.filter((entry) => entry.isFolder).map((entry) => entry.path));
    assert.ok(folders.has('base'));
    for (const entry of entries) {
      const slash = entry.path.lastIndexOf('/');
      if (slash > 0) assert.ok(folders.has(entry.path.slice(0, slash)), entry.path);
    }
  });
});
