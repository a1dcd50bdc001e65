import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { aLearner, anEnrolment, aProgram, type BuiltProgram } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { openTestDatabase, testBackend } from '../../test/support/test-database.ts';
import { migrateToLatest, migrations } from '../platform/db/migrate.ts';
import { learnerCounts } from './learners.queries.ts';
import { LearnersRepository } from './learners.repository.ts';

describe(`the kept learner figures on ${testBackend}`, () => {
  let app: TestApp;
  let program: BuiltProgram;
  let other: BuiltProgram;
  before(async () => {
    app = await startTestApp({ runJobs: false });
    program = await aProgram(app, { title: 'Counted Program' });
    other = await aProgram(app, { title: 'Other Counted Program' });
  });
  after(() => app.close());

  const kept = async () => {
    const row = await app.database.db
      .selectFrom(learnerCounts(app.database.db).as('k'))
      .selectAll()
      .executeTakeFirstOrThrow();
    return { learners: Number(row.learners), active: Number(row.active_enrolments) };
  };
  const counted = async () => {
    const { rows } = await sql<{ learners: number; active: number }>`
      select (select count(*) from learners)::int as learners,
             (select count(*) from enrolments where status = 'active')::int as active`.execute(
      app.database.db,
    );
    return rows[0]!;
  };
  const changeRows = async () =>
    Number(
      (
        await app.database.db
          .selectFrom('learner_counts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('they follow every way learners and enrolments are added, changed and removed', async () => {
    assert.deepEqual(await kept(), await counted(), 'from the start');
    const first = await aLearner(app);
    const second = await aLearner(app);
    await anEnrolment(app, first, program);
    await anEnrolment(app, second, program);
    await anEnrolment(app, second, other, { status: 'completed' });
    assert.deepEqual(await kept(), await counted(), 'after adding');

    // Hand-written SQL is kept too: one statement changing several rows, some of them to and from active.
    await sql`update enrolments set status = case status when 'active' then 'withdrawn' else 'active' end
              where learner_id = ${second.id}`.execute(app.database.db);
    assert.deepEqual(await kept(), await counted(), 'after one statement moved enrolments both ways');
    await sql`update enrolments set status = 'withdrawn' where learner_id = ${first.id}`.execute(
      app.database.db,
    );
    assert.deepEqual(await kept(), await counted(), 'after a withdrawal');
    await sql`update enrolments set path = path where learner_id = ${first.id}`.execute(app.database.db);
    assert.deepEqual(await kept(), await counted(), 'after an update that changes no status');

    // Removing a learner removes their enrolments with them (the foreign key cascades).
    await app.database.db.deleteFrom('learners').where('id', '=', first.id).execute();
    assert.deepEqual(await kept(), await counted(), 'after a learner was removed with their enrolments');

    // A transaction that rolls back leaves no trace.
    await app.database.db
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('enrolments').execute();
        throw new Error('changed my mind');
      })
      .catch(() => undefined);
    assert.deepEqual(await kept(), await counted(), 'after a rolled-back removal');
    const now = await counted();
    assert.ok(now.learners > 0 && now.active > 0, 'the test counts something');
  });

  test('folding leaves one row per figure and the same figures, and again finds nothing to fold', async () => {
    await anEnrolment(app, await aLearner(app), other);
    const before = await kept();
    assert.ok((await changeRows()) > 2, 'there are rows to fold');
    const repository = new LearnersRepository();
    assert.ok((await repository.foldCounts(app.database.db)) > 2);
    assert.equal(await changeRows(), 2);
    assert.deepEqual(await kept(), before);
    assert.equal(await repository.foldCounts(app.database.db), 0);
    assert.equal(await changeRows(), 2);
    // Folds running at once (two processes' timers) take each row once.
    await anEnrolment(app, await aLearner(app), program);
    await anEnrolment(app, await aLearner(app), program);
    const added = await kept();
    await Promise.all([repository.foldCounts(app.database.db), repository.foldCounts(app.database.db)]);
    assert.deepEqual(await kept(), added);
    assert.deepEqual(await kept(), await counted());
    assert.equal(await changeRows(), 2);
  });

  test('emptying the tables empties the figures', async () => {
    await sql`truncate enrolments cascade`.execute(app.database.db);
    assert.deepEqual(await kept(), await counted());
    await sql`truncate learners cascade`.execute(app.database.db);
    assert.deepEqual(await kept(), { learners: 0, active: 0 });
    await anEnrolment(app, await aLearner(app), program);
    assert.deepEqual(await kept(), { learners: 1, active: 1 });
  });
});

describe(`an institution upgrading to kept learner figures on ${testBackend}`, () => {
  test('the migration counts the learners and active enrolments already there', async () => {
    const { database, drop } = await openTestDatabase();
    try {
      const db = database.db;
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      assert.equal((await migrator.migrateTo('0067-completions-take-listed-term-names')).error, undefined);
      // Learners and enrolments as an older version left them: three learners, two enrolments active.
      await sql`
        insert into departments (code, name) values ('UPG', 'Upgrades');
        insert into programs (id, slug, title, summary, description, department_code, level, credits_min,
                              credits_max, credit_type, status, fee_cents, requirement, issuing_office)
          values ('00000000-0000-4000-8000-000000000001', 'upgrade', 'Upgrade', 'Summary', 'Description', 'UPG',
                  'undergraduate', 3, 3, 'credit', 'established', 0, '{}', 'registrar');
        insert into learners (id, name, email, student_id, status)
          select ('00000000-0000-4000-8000-00000000010' || n)::uuid, 'Learner ' || n, 'l' || n || '@example.edu', 'S' || n,
                 'current'
          from generate_series(1, 3) n;
        insert into enrolments (id, learner_id, program_id, path, enrolled_on, status)
          select ('00000000-0000-4000-8000-00000000020' || n)::uuid, ('00000000-0000-4000-8000-00000000010' || n)::uuid,
                 '00000000-0000-4000-8000-000000000001', 'current', '2026-01-10',
                 case n when 3 then 'withdrawn' else 'active' end
          from generate_series(1, 3) n;`.execute(db);
      const later = Object.keys(migrations).filter(
        (name) => name > '0067-completions-take-listed-term-names',
      );
      assert.deepEqual(await migrateToLatest(db), later.sort());
      assert.ok(later.includes('0068-learner-counts'));
      const row = await db.selectFrom(learnerCounts(db).as('k')).selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(
        { learners: Number(row.learners), active: Number(row.active_enrolments) },
        { learners: 3, active: 2 },
      );
    } finally {
      await drop();
    }
  });
});
