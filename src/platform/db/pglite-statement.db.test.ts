// pglite-only: these are statements sent to an in-memory PGlite, whatever the backend of the run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { cachedTarball } from '../../../test/support/test-snapshots.ts';
import { channelsOf } from './pglite-channels.ts';
import { pgliteInstallFiles } from './pglite-install-files.ts';
import { KEPT_STATEMENTS, runStatement } from './pglite-statement.ts';

describe('statements on PGlite', () => {
  let pglite: PGlite;
  before(async () => {
    pglite = await PGlite.create('memory://', {
      fs: (await cachedTarball('empty')).memoryFilesystem(),
      fsBundle: pgliteInstallFiles(),
    });
  });
  after(() => pglite.close());

  const run = <R = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    runStatement<R>(pglite, text, values);
  /** The statements this connection holds prepared, with how often each was planned. */
  const prepared = async () =>
    (
      await pglite.query<{ statement: string; plans: number }>(
        `select statement, (generic_plans + custom_plans)::int as plans from pg_prepared_statements`,
      )
    ).rows;

  test('parameters are read as node-postgres sends them to PostgreSQL', async () => {
    const moment = new Date('2026-12-06T22:15:30.123Z');
    // Characters of two, three and four bytes in UTF-8: a message's lengths are counted in bytes, not characters.
    const awkward = ['plain', 'a "quoted", {braced} \\ one', null, '', 'Zoë Müller 中文 🎓'];
    const bytes = Buffer.from([0, 1, 254, 255]);
    const { rows } = await run<{
      moment: Date;
      texts: (string | null)[];
      numbers: number[];
      document: unknown;
      bytes: Uint8Array;
      yes: boolean;
      nothing: null;
      big: string;
    }>(
      `select $1::timestamptz as moment, $2::text[] as texts, $3::int[] as numbers, $4::jsonb as document,
              $5::bytea as bytes, $6::boolean as yes, $7::text as nothing, $8::numeric::text as big`,
      [moment, awkward, [3, 1, 2], { name: 'Ada 🎓', tags: ['x'] }, bytes, true, null, 12345678901234567890n],
    );
    const row = rows[0]!;
    assert.equal(row.moment.getTime(), moment.getTime());
    assert.deepEqual(row.texts, awkward);
    assert.deepEqual(row.numbers, [3, 1, 2]);
    assert.deepEqual(row.document, { name: 'Ada 🎓', tags: ['x'] });
    assert.deepEqual([...row.bytes], [...bytes]);
    assert.equal(row.yes, true);
    assert.equal(row.nothing, null);
    assert.equal(row.big, '12345678901234567890');
  });

  test('a statement run again is prepared once and planned from what was kept', async () => {
    await run('create table kept_people (id int primary key, name text not null)');
    await run('insert into kept_people values ($1, $2), ($3, $4)', [1, 'Ada', 2, 'Grace']);
    const text = 'select name from kept_people where id = $1';
    for (let i = 0; i < 8; i++) {
      assert.equal((await run<{ name: string }>(text, [(i % 2) + 1])).rows[0]?.name, i % 2 ? 'Grace' : 'Ada');
    }
    const kept = (await prepared()).filter((p) => p.statement === text);
    assert.deepEqual(kept, [{ statement: text, plans: 8 }]);
    // What PostgreSQL runs without a plan (a transaction's begin, a table's creation) is not kept.
    assert.ok(!(await prepared()).some((p) => /^\s*create/i.test(p.statement)));
  });

  test('the statements kept stay bounded: the least recently used is closed', async () => {
    for (let i = 0; i < KEPT_STATEMENTS + 40; i++) await run(`select ${i} as n where $1::int = 1`, [1]);
    const count = (await prepared()).length;
    assert.ok(count <= KEPT_STATEMENTS + 1, `${count} statements kept`);
    // The last ones run are among them, the first ones are not.
    const texts = new Set((await prepared()).map((p) => p.statement));
    assert.ok(texts.has(`select ${KEPT_STATEMENTS + 39} as n where $1::int = 1`));
    assert.ok(!texts.has('select 0 as n where $1::int = 1'));
  });

  test('an upsert naming a partial unique index by a parameter works on every run, not only the first five', async () => {
    await run(`create table kept_requests (learner int not null, program int not null, state text not null)`);
    await run(
      `create unique index kept_requests_open on kept_requests (learner, program) where state = 'open'`,
    );
    for (let i = 0; i < 10; i++) {
      await run(
        `insert into kept_requests values ($1, $2, $3) on conflict (learner, program) where state = $3 do nothing`,
        [1, 1, 'open'],
      );
    }
    assert.equal((await run<{ n: number }>('select count(*)::int as n from kept_requests')).rows[0]?.n, 1);
  });

  test('a statement that failed is prepared again, and a transaction it ended still rolls back', async () => {
    const insert = 'insert into kept_people values ($1, $2)';
    await assert.rejects(run(insert, [1, 'Ada again']), /duplicate key/);
    await run(insert, [3, 'Katherine']);
    await run('begin');
    await assert.rejects(run(insert, [3, 'Katherine again']), /duplicate key/);
    await assert.rejects(run('select 1 as n where $1::int = 1', [1]), /transaction is aborted/);
    await run('rollback');
    assert.equal((await run<{ n: number }>('select 1 as n where $1::int = 1', [1])).rows[0]?.n, 1);
    await assert.rejects(run('selec nothing where $1 = 1', [1]), /syntax error/);
    assert.ok(!(await prepared()).some((p) => p.statement.startsWith('selec ')));
  });

  test("rows of every kind read as PGlite's own reader reads them", async () => {
    await run(`create table every_kind as
      select i, gen_random_uuid() as id, date '2026-01-31' + i as day, timestamptz '2026-12-07 10:00:00Z' + i * interval '1 hour' as at,
             array['a', null, 'é "q" {b}', ''] as texts, jsonb_build_object('n', i, 'tags', array['x', 'ü']) as document,
             decode(lpad(to_hex(i), 4, '0'), 'hex') as bytes, i::numeric / 7 as ratio, i % 2 = 0 as even,
             (i * 10000000000)::bigint as big, case when i % 3 = 0 then null else repeat('ß', i) end as maybe
      from generate_series(1, 300) i`);
    const text = 'select * from every_kind where i > $1 order by i';
    const ours = await run(text, [0]);
    const theirs = await pglite.query(text, [0]);
    assert.equal(ours.rows.length, 300);
    assert.deepEqual(ours.rows, theirs.rows);
    assert.deepEqual(
      ours.fields.map((f) => [f.name, f.dataTypeID]),
      theirs.fields.map((f) => [f.name, f.dataTypeID]),
    );
  });

  test("an error comes back with PostgreSQL's SQLSTATE and the constraint it names", async () => {
    await assert.rejects(run('insert into kept_people values ($1, $2)', [1, 'Ada once more']), {
      code: '23505',
      constraint: 'kept_people_pkey',
      table: 'kept_people',
    });
    assert.equal((await run<{ n: number }>('select count(*)::int as n from kept_people')).rows[0]?.n, 3);
  });

  test('a notification reaches the channel once its transaction commits, and never after a rollback', async () => {
    const heard: string[] = [];
    const hear = (payload: string) => heard.push(payload);
    assert.equal(channelsOf(pglite).add('statement_probe', hear), true);
    await run('listen statement_probe');
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    await run('begin');
    await run('select pg_notify($1, $2)', ['statement_probe', 'committed']);
    await settled();
    assert.deepEqual(heard, [], 'not before the commit');
    await run('commit');
    await settled();
    assert.deepEqual(heard, ['committed']);
    await run('begin');
    await run('select pg_notify($1, $2)', ['statement_probe', 'rolled back']);
    await run('rollback');
    await run('select pg_notify($1, $2)', ['another_channel', 'not listened to']);
    await settled();
    assert.deepEqual(heard, ['committed']);
    assert.equal(channelsOf(pglite).remove('statement_probe', hear), true);
    await run('unlisten statement_probe');
  });

  test('a kept `select *` whose table gained a column answers with the new column', async () => {
    const text = 'select * from kept_people where id = $1';
    assert.deepEqual((await run(text, [1])).rows, [{ id: 1, name: 'Ada' }]);
    await run(`alter table kept_people add column email text not null default 'ada@example.edu'`);
    assert.deepEqual((await run(text, [1])).rows, [{ id: 1, name: 'Ada', email: 'ada@example.edu' }]);
  });
});
