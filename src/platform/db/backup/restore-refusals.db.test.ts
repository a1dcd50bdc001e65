// pglite-only: every database here is an in-memory PGlite, so a run on PostgreSQL would repeat the PGlite run.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { aPgliteDatabase, appOn } from '../../../../test/support/backup-fixture.ts';
import { anIssuedBadge } from '../../../../test/support/builders.ts';
import { TEST_SECRET } from '../../../../test/support/test-snapshots.ts';
import { AppError } from '../../errors.ts';
import type { Database, MemoryDatabase } from '../database.ts';
import { migrations } from '../migrate.ts';
import { decryptingStream, encryptingStream } from './archive-cipher.ts';
import { restoreBackup, takeBackup } from './backup.ts';
import { describeTarget } from './target-state.ts';

// The refusals need no second server: each restores into an in-memory PGlite and checks it was left as it was.

/** The archive's bytes through the same cipher the app uses, as an operator holding the secret could. */
async function through(cipher: Transform, bytes: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from([bytes]), cipher, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

/**
 * A copy of the backup with its lines edited and encrypted again with the right secret: what the checksum and row
 * counts must catch even in the hands of someone who holds the secret.
 */
async function editedCopy(
  from: string,
  to: string,
  edit: (lines: string[]) => string[],
  reseal = false,
): Promise<string> {
  const plain = gunzipSync(await through(decryptingStream(TEST_SECRET), readFileSync(from)));
  let lines = edit(plain.toString('utf8').split('\n').slice(0, -1));
  if (reseal) {
    const body = lines.slice(0, -1);
    const trailer = JSON.parse(lines.at(-1) ?? '[]') as [string, { sha256: string }];
    trailer[1].sha256 = createHash('sha256')
      .update(body.map((line) => `${line}\n`).join(''))
      .digest('hex');
    lines = [...body, JSON.stringify(trailer)];
  }
  const text = gzipSync(`${lines.map((line) => `${line}\n`).join('')}`);
  writeFileSync(to, await through(encryptingStream(TEST_SECRET), text));
  return to;
}

const isRowOf = (lines: string[], table: string) => {
  const start = lines.findIndex((line) => line.startsWith(`["table","${table}"`));
  return (index: number) => index > start && lines[index]?.startsWith('{');
};

/** A row only this test writes, to tell whether a target's own data survived. */
const markedChain = (database: Database) =>
  sql`insert into approval_chains (key, name, steps) values ('kept-by-the-target', 'Ours', '[]')`.execute(
    database.db,
  );
const hasMarkedChain = async (database: Database) =>
  (await sql`select 1 from approval_chains where key = 'kept-by-the-target'`.execute(database.db)).rows
    .length === 1;

/**
 * Everything a refused restore could leave in a database besides rows: its schemas, relations, functions and
 * types (describeTarget only counts the tables and functions of `public`). System objects are left out.
 */
async function everyObject(database: Database): Promise<string[]> {
  const { rows } = await sql<{ object: string }>`
    select 'schema ' || nspname as object from pg_namespace
    union all select 'relation ' || oid::regclass::text from pg_class where relnamespace <> all (${SYSTEM_SCHEMAS})
    union all select 'function ' || oid::regprocedure::text from pg_proc where pronamespace <> all (${SYSTEM_SCHEMAS})
    union all select 'type ' || oid::regtype::text from pg_type where typnamespace <> all (${SYSTEM_SCHEMAS})
    order by object`.execute(database.db);
  return rows.map((row) => row.object);
}
const SYSTEM_SCHEMAS = sql`array(select oid from pg_namespace
  where nspname in ('pg_catalog', 'information_schema') or nspname like 'pg_toast%')`;

describe('restore refuses what it must not load, and leaves the target as it was', () => {
  let work: string;
  let file: string;
  /**
   * The installation the backup was taken from, kept open for the tests that need a database that is not empty:
   * they refuse to touch it (and assert so), so it serves them all instead of a new migrated PGlite each.
   */
  let source: Awaited<ReturnType<typeof appOn>>;
  /**
   * One empty target serves every refusal into an empty database, instead of a new PGlite each (about half a
   * CPU-second to open): a refusal must leave it exactly as it was, which each use asserts down to its schemas,
   * relations, functions and types. A target found changed is closed and the next use opens a new one, so no
   * test's outcome depends on another's.
   */
  let emptyTarget: MemoryDatabase | undefined;
  async function useEmptyTarget<T>(use: (target: MemoryDatabase) => Promise<T>): Promise<T> {
    emptyTarget ??= await aPgliteDatabase('empty');
    const target = emptyTarget;
    const objects = await everyObject(target);
    let after: string[] | undefined;
    try {
      const result = await use(target);
      after = await everyObject(target);
      assert.deepEqual(after, objects, 'the refused restore left something in the target');
      return result;
    } finally {
      if (!isDeepStrictEqual(after, objects)) {
        emptyTarget = undefined;
        await target.close();
      }
    }
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'stackable-restore-'));
    file = join(work, 'good.backup');
    source = await appOn(await aPgliteDatabase('migrated'), join(work, 'source'));
    await anIssuedBadge(source);
    await takeBackup(source.database, file, '0.0.0-test', TEST_SECRET);
  });
  after(async () => {
    await source?.close();
    await emptyTarget?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Restores `path` into `target` and returns the error it was refused with; asserts it stayed as it was. */
  async function refusedInto(target: Database, path: string): Promise<AppError> {
    const before = await describeTarget(target.db);
    const error = await restoreBackup(target, path, TEST_SECRET, { replace: false }).then(
      () => assert.fail('the restore was expected to be refused'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof AppError, String(error));
    assert.deepEqual(await describeTarget(target.db), before, 'the target is left as it was');
    return error;
  }

  /** The same into an empty PGlite. */
  const refusal = (path: string) => useEmptyTarget((target) => refusedInto(target, path));

  test('a database that is not empty is refused, naming --replace', async () => {
    const error = await refusedInto(source.database, file);
    assert.equal(error.code, 'CONFLICT');
    // What is there, in numbers and by the last migration the code knows, and the way out.
    const latest = Object.keys(migrations).sort().at(-1)!;
    assert.match(
      error.publicMessage,
      new RegExp(`not empty \\(\\d+ tables, migrated to ${latest}.*--replace --yes`),
    );
  });

  test('with replace, a database in use is replaced by the backup in one go', async () => {
    const target = await aPgliteDatabase('migrated');
    try {
      await markedChain(target);
      const result = await restoreBackup(target, file, TEST_SECRET, { replace: true });
      assert.equal(result.tables.credentials, 1);
      assert.equal(await hasMarkedChain(target), false, 'what was there before is gone');
    } finally {
      await target.close();
    }
  });

  test('with replace, a refused backup leaves the old data in place', async () => {
    const tampered = await editedCopy(file, join(work, 'tampered-for-replace.backup'), (lines) =>
      lines.map((line) => line.replace(/"name":"Pilot approval"/, '"name":"Changed"')),
    );
    const target = await aPgliteDatabase('migrated');
    try {
      await markedChain(target);
      await assert.rejects(
        restoreBackup(target, tampered, TEST_SECRET, { replace: true }),
        /checksum does not match/,
      );
      assert.equal(await hasMarkedChain(target), true);
    } finally {
      await target.close();
    }
  });

  test('a backup from a newer schema is refused before anything is written', async () => {
    const newer = await editedCopy(file, join(work, 'newer.backup'), (lines) => {
      const [magic, header] = JSON.parse(lines[0] ?? '') as [string, { migrations: string[] }];
      header.migrations.push('9999-from-the-future');
      return [JSON.stringify([magic, header]), ...lines.slice(1)];
    });
    const error = await refusal(newer);
    assert.equal(error.code, 'INVALID_STATE');
    assert.match(error.publicMessage, /newer schema.*9999-from-the-future.*Stackable 0\.0\.0-test or later/);
  });

  test('a row changed after the backup was written is refused by the checksum', async () => {
    const tampered = await editedCopy(file, join(work, 'tampered.backup'), (lines) => {
      const isLearner = isRowOf(lines, 'learners');
      return lines.map((line, i) =>
        isLearner(i) ? line.replace(/"name":"[^"]*"/, '"name":"Mallory"') : line,
      );
    });
    assert.notDeepEqual(readFileSync(tampered), readFileSync(file));
    const error = await refusal(tampered);
    assert.equal(error.code, 'UNPROCESSABLE');
    assert.match(error.publicMessage, /checksum does not match/);
  });

  test('a trailer with the wrong checksum is refused', async () => {
    const wrong = await editedCopy(file, join(work, 'wrong-sum.backup'), (lines) => [
      ...lines.slice(0, -1),
      (lines.at(-1) ?? '').replace(/"sha256":"[0-9a-f]{64}"/, `"sha256":"${'0'.repeat(64)}"`),
    ]);
    assert.match((await refusal(wrong)).publicMessage, /checksum does not match/);
  });

  test('a row count that disagrees with the rows is refused even when the checksum was recomputed', async () => {
    const dropped = await editedCopy(
      file,
      join(work, 'row-dropped.backup'),
      (lines) => {
        const isCredential = isRowOf(lines, 'credentials');
        return lines.filter((_line, i) => !isCredential(i));
      },
      true,
    );
    assert.match(
      (await refusal(dropped)).publicMessage,
      /table credentials should have 1 rows; the file held 0/,
    );
  });

  // A walk-through changed one byte in the middle of a backup: it decrypted to a row the database refused before the
  // checksum at the end was read, and the restore said "the rows of table credentials could not be stored".
  test('a changed row is named as damage when the checksum says so, and as refused rows only when it matches', async () => {
    const changeOneRow = (lines: string[]) => {
      const isCredential = isRowOf(lines, 'credentials');
      return lines.map((line, i) =>
        isCredential(i) ? line.replace(/"id":"[^"]+"/, '"id":"not-a-uuid"') : line,
      );
    };
    const damaged = await editedCopy(file, join(work, 'changed-row.backup'), changeOneRow);
    const said = (await refusal(damaged)).publicMessage;
    assert.match(said, /checksum does not match the content \(the file was changed or damaged\)/);
    assert.doesNotMatch(said, /could not be stored/);

    const resealed = await editedCopy(file, join(work, 'changed-row-resealed.backup'), changeOneRow, true);
    assert.match((await refusal(resealed)).publicMessage, /rows of table credentials could not be stored/);
  });

  test('a file cut short before its trailer is refused', async () => {
    const cut = await editedCopy(file, join(work, 'cut.backup'), (lines) => lines.slice(0, -1));
    assert.match((await refusal(cut)).publicMessage, /ends before its trailer/);
  });

  test('one changed byte of the encrypted file is refused', async () => {
    const bytes = readFileSync(file);
    // The last byte is part of the tag; the byte before it is the last of the compressed text.
    for (const [name, at] of [
      ['tag', bytes.length - 1],
      ['body', bytes.length - 17],
    ] as const) {
      const damaged = join(work, `damaged-${name}.backup`);
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      writeFileSync(damaged, copy);
      assert.match((await refusal(damaged)).publicMessage, /changed or damaged/, name);
    }
  });

  test('a backup opened with another secret is refused at once, naming STACKABLE_SECRET', async () => {
    await useEmptyTarget(async (target) => {
      const error = await restoreBackup(target, file, 'another-secret-that-is-long-enough-too', {
        replace: false,
      }).then(
        () => assert.fail('expected a refusal'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof AppError && error.code === 'UNPROCESSABLE');
      assert.match(error.publicMessage, /another STACKABLE_SECRET/);
      // Nothing was written.
      assert.equal((await describeTarget(target.db)).isEmpty, true);
    });
  });

  test('an unencrypted archive is refused, and so is a file that is not a backup', async () => {
    const plain = join(work, 'plain.backup');
    writeFileSync(plain, gzipSync(await through(decryptingStream(TEST_SECRET), readFileSync(file))));
    assert.match((await refusal(plain)).publicMessage, /not encrypted/);
    const other = join(work, 'other.backup');
    writeFileSync(other, 'hello, world\n');
    assert.match((await refusal(other)).publicMessage, /not a Stackable backup/);
  });

  test('an encrypted file that is not an archive is refused on its first line', async () => {
    const other = join(work, 'other-encrypted.backup');
    writeFileSync(other, await through(encryptingStream(TEST_SECRET), gzipSync('{"hello":"world"}\n')));
    assert.match((await refusal(other)).publicMessage, /line 1\): .*header/);
  });

  test('a backup never overwrites an existing file', async () => {
    // A real installation to back up.
    assert.equal((await describeTarget(source.database.db)).isEmpty, false);
    const before = readFileSync(file);
    const error = await takeBackup(source.database, file, '0.0.0-test', TEST_SECRET).then(
      () => assert.fail('expected a refusal'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof AppError && error.code === 'CONFLICT');
    assert.deepEqual(readFileSync(file), before);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});
