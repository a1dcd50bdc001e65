import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { AppError } from '../../errors.ts';
import {
  type ArchiveHeader,
  type ArchiveRecord,
  decodeRecord,
  encodeRecord,
  sealRecords,
  unknownMigrations,
} from './archive-format.ts';

const header: ArchiveHeader = {
  formatVersion: 1,
  appVersion: '1.2.3',
  createdAt: '2026-12-04T10:00:00.000Z',
  source: 'pglite',
  migrations: ['0001-foundation', '0002-catalog-and-learners'],
};

const records: ArchiveRecord[] = [
  { kind: 'header', header },
  { kind: 'table', table: 'users', columns: ['id', 'email', 'end'] },
  // A row with a column named like a marker stays a row: rows are objects, markers arrays.
  { kind: 'row', json: '{"id":"u1","email":"a@example.edu","end":"x"}' },
  { kind: 'end', table: 'users', rows: 1 },
];

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

test('every record reads back as written, line by line', async () => {
  const sealed: ArchiveRecord[] = [];
  for await (const record of sealRecords(from(records))) sealed.push(record);
  sealed.forEach((record, i) => {
    const line = encodeRecord(record);
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    assert.deepEqual(decodeRecord(line.slice(0, -1), i + 1), record);
  });
});

test('the trailer counts the rows per table and hashes the lines before it', async () => {
  const sealed: ArchiveRecord[] = [];
  for await (const record of sealRecords(from(records))) sealed.push(record);
  const trailer = sealed.at(-1);
  assert.equal(trailer?.kind, 'trailer');
  if (trailer?.kind !== 'trailer') return;
  assert.deepEqual(trailer.trailer.tables, { users: 1 });
  const expected = createHash('sha256').update(records.map(encodeRecord).join('')).digest('hex');
  assert.equal(trailer.trailer.sha256, expected);
});

test('a line that is neither a row nor a known marker is refused with its line number', () => {
  const refusal = (text: string, line: number) => {
    try {
      decodeRecord(text, line);
    } catch (error) {
      assert.ok(error instanceof AppError);
      return error;
    }
    return assert.fail(`${text} was read`);
  };
  assert.match(refusal('not json', 7).publicMessage, /\(line 7\): the line is not JSON/);
  assert.match(refusal('["mystery", 1]', 9).publicMessage, /line 9.*unknown marker/);
  assert.match(refusal('["end", "users", "two"]', 4).publicMessage, /unknown marker/);
  assert.match(refusal('["table", "users"]', 2).publicMessage, /unknown marker/);
  assert.match(
    refusal('["stackable-backup", {"formatVersion": 2}]', 1).publicMessage,
    /version 2.*reads version 1/,
  );
  assert.match(
    refusal('["stackable-backup", {"formatVersion": 1}]', 1).publicMessage,
    /lacks the app version/,
  );
  assert.match(refusal(`${JSON.stringify(['stackable-backup', header])}`, 3).publicMessage, /unknown marker/);
  assert.equal(refusal('["x"]', 1).fields[0]?.line, 1);
});

test('a backup is newer when it names migrations the code does not know', () => {
  assert.deepEqual(unknownMigrations(header, ['0001-foundation', '0002-catalog-and-learners', '0003-x']), []);
  assert.deepEqual(unknownMigrations(header, ['0001-foundation']), ['0002-catalog-and-learners']);
});
