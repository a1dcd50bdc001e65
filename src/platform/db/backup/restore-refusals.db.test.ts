import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { aPgliteDatabase, appOn } from '../../../../test/support/backup-fixture.ts';
import { anIssuedBadge } from '../../../../test/support/builders.ts';
import { AppError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { migrations } from '../migrate.ts';
import { restoreBackup, takeBackup } from './backup.ts';
import { describeTarget } from './target-state.ts';

// The refusals need no second server: each restores into an in-memory PGlite and checks it was left as it was.

/** The archive's lines, changed by `edit`, written back to a new file; `reseal` recomputes the checksum. */
function editedCopy(from: string, to: string, edit: (lines: string[]) => string[], reseal = false): string {
  let lines = edit(gunzipSync(readFileSync(from)).toString('utf8').split('\n').slice(0, -1));
  if (reseal) {
    const body = lines.slice(0, -1);
    const trailer = JSON.parse(lines.at(-1) ?? '[]') as [string, { sha256: string }];
    trailer[1].sha256 = createHash('sha256')
      .update(body.map((line) => `${line}\n`).join(''))
      .digest('hex');
    lines = [...body, JSON.stringify(trailer)];
  }
  writeFileSync(to, gzipSync(`${lines.map((line) => `${line}\n`).join('')}`));
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

describe('restore refuses what it must not load, and leaves the target as it was', () => {
  let work: string;
  let file: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'stackable-restore-'));
    file = join(work, 'good.backup');
    const database = await aPgliteDatabase('migrated');
    const app = await appOn(database, join(work, 'source'));
    await anIssuedBadge(app);
    await takeBackup(database, file, '0.0.0-test');
    await app.close();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Restores `path` into a fresh empty PGlite and returns the error it was refused with; asserts it stayed empty. */
  async function refusal(
    path: string,
    start: 'empty' | 'migrated' = 'empty',
    replace = false,
  ): Promise<AppError> {
    const target = await aPgliteDatabase(start);
    try {
      const before = await describeTarget(target.db);
      const error = await restoreBackup(target, path, { replace }).then(
        () => assert.fail('the restore was expected to be refused'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof AppError, String(error));
      assert.deepEqual(await describeTarget(target.db), before, 'the target is left as it was');
      return error;
    } finally {
      await target.close();
    }
  }

  test('a database that is not empty is refused, naming --replace', async () => {
    const error = await refusal(file, 'migrated');
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
      const result = await restoreBackup(target, file, { replace: true });
      assert.equal(result.tables.credentials, 1);
      assert.equal(await hasMarkedChain(target), false, 'what was there before is gone');
    } finally {
      await target.close();
    }
  });

  test('with replace, a refused backup leaves the old data in place', async () => {
    const tampered = editedCopy(file, join(work, 'tampered-for-replace.backup'), (lines) =>
      lines.map((line) => line.replace(/"name":"Pilot approval"/, '"name":"Changed"')),
    );
    const target = await aPgliteDatabase('migrated');
    try {
      await markedChain(target);
      await assert.rejects(restoreBackup(target, tampered, { replace: true }), /checksum does not match/);
      assert.equal(await hasMarkedChain(target), true);
    } finally {
      await target.close();
    }
  });

  test('a backup from a newer schema is refused before anything is written', async () => {
    const newer = editedCopy(file, join(work, 'newer.backup'), (lines) => {
      const [magic, header] = JSON.parse(lines[0] ?? '') as [string, { migrations: string[] }];
      header.migrations.push('9999-from-the-future');
      return [JSON.stringify([magic, header]), ...lines.slice(1)];
    });
    const error = await refusal(newer);
    assert.equal(error.code, 'INVALID_STATE');
    assert.match(error.publicMessage, /newer schema.*9999-from-the-future.*Stackable 0\.0\.0-test or later/);
  });

  test('a row changed after the backup was written is refused by the checksum', async () => {
    const tampered = editedCopy(file, join(work, 'tampered.backup'), (lines) => {
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
    const wrong = editedCopy(file, join(work, 'wrong-sum.backup'), (lines) => [
      ...lines.slice(0, -1),
      (lines.at(-1) ?? '').replace(/"sha256":"[0-9a-f]{64}"/, `"sha256":"${'0'.repeat(64)}"`),
    ]);
    assert.match((await refusal(wrong)).publicMessage, /checksum does not match/);
  });

  test('a row count that disagrees with the rows is refused even when the checksum was recomputed', async () => {
    const dropped = editedCopy(
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

  test('a file cut short before its trailer is refused', async () => {
    const cut = editedCopy(file, join(work, 'cut.backup'), (lines) => lines.slice(0, -1));
    assert.match((await refusal(cut)).publicMessage, /ends before its trailer/);
  });

  test('damaged compressed bytes are refused', async () => {
    const bytes = readFileSync(file);
    bytes.fill(0x55, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64);
    const damaged = join(work, 'damaged.backup');
    writeFileSync(damaged, bytes);
    assert.match((await refusal(damaged)).publicMessage, /damaged or not a Stackable backup/);
  });

  test('a file that is not a backup is refused', async () => {
    const other = join(work, 'other.backup');
    writeFileSync(other, gzipSync('{"hello":"world"}\n'));
    assert.match((await refusal(other)).publicMessage, /line 1\): .*header/);
  });

  test('a backup never overwrites an existing file', async () => {
    const database = await aPgliteDatabase('migrated');
    try {
      // A real installation to back up. (Also: a PGlite loaded from a tarball and closed without one statement
      // keeps the test process from exiting.)
      assert.equal((await describeTarget(database.db)).isEmpty, false);
      const before = readFileSync(file);
      const error = await takeBackup(database, file, '0.0.0-test').then(
        () => assert.fail('expected a refusal'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof AppError && error.code === 'CONFLICT');
      assert.deepEqual(readFileSync(file), before);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      await database.close();
    }
  });
});
