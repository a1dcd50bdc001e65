// What the issuing module reads of other modules' records, at the sizes a university's files reach.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { aLearner, anEnrolment, anIssuedBadge, aProgram } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { IssuingRepository } from './issuing.repository.ts';

describe(`issuing's reads on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('a list naming more student ids than one statement may carry (100,000 rows) finds its learners', async () => {
    const known = [await aLearner(app), await aLearner(app)];
    // Over PostgreSQL's 65,535 parameters: asked for at once, the statement is refused.
    const unknown = Array.from({ length: 70_000 }, (_, n) => `NOBODY${n}`);
    const ids = [
      ...unknown.slice(0, 35_000),
      known[0]!.studentId,
      ...unknown.slice(35_000),
      known[1]!.studentId,
    ];
    const found = await new IssuingRepository().learnersByStudentIds(app.database.db, ids);
    assert.deepEqual(
      found.map((learner) => learner.studentId).sort(),
      known.map((learner) => learner.studentId).sort(),
    );
  });

  test("the list's learner and program pairs are judged against enrolments and awards in parts", async () => {
    const program = await aProgram(app);
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    const pairs = [
      ...Array.from({ length: 70_000 }, () => ({ learnerId: randomUUID(), programId: program.id })),
      { learnerId: learner.id, programId: program.id },
    ];
    const repository = new IssuingRepository();
    const enrolled = await repository.enrolledOn(app.database.db, pairs);
    assert.deepEqual([...enrolled.keys()], [`${learner.id}|${program.id}`]);
    assert.equal((await repository.awardsFor(app.database.db, pairs)).size, 0);
    assert.equal((await repository.approvedRequestsOf(app.database.db, pairs)).size, 0);
    assert.equal((await repository.cohortModes(app.database.db, pairs)).size, 0);
  });

  test('the standing award of each pair is found with the day it was issued, and a revoked or renewed one is not', async () => {
    const program = await aProgram(app);
    const standing = await anIssuedBadge(app, { program });
    const revoked = await anIssuedBadge(app, { program });
    const renewed = await anIssuedBadge(app, { program });
    const db = app.database.db;
    await sql`update issued_awards set revoked_at = now() where credential_id = ${revoked.credentialId}`.execute(
      db,
    );
    await sql`update issued_awards set renewed_at = now() where credential_id = ${renewed.credentialId}`.execute(
      db,
    );
    const issuedAt = (
      await db
        .selectFrom('issued_awards')
        .select('issued_at')
        .where('credential_id', '=', standing.credentialId)
        .executeTakeFirstOrThrow()
    ).issued_at;
    const other = await aProgram(app);
    // The standing learner's award in a program not asked about for them stays out, asked about for someone else.
    const elsewhere = await anIssuedBadge(app, { learner: standing.learner });
    const asked = [
      { learnerId: standing.learner.id, programId: program.id },
      { learnerId: standing.learner.id, programId: other.id },
      { learnerId: revoked.learner.id, programId: elsewhere.program.id },
      { learnerId: revoked.learner.id, programId: program.id },
      { learnerId: renewed.learner.id, programId: program.id },
      { learnerId: randomUUID(), programId: program.id },
    ];
    // A few pairs are looked up learner by learner, an upload's thousands in one pass: both give the same answer.
    for (const others of [0, 2_000]) {
      const unknown = Array.from({ length: others }, () => ({
        learnerId: randomUUID(),
        programId: other.id,
      }));
      const found = await new IssuingRepository().awardsFor(db, [...asked, ...unknown]);
      assert.deepEqual([...found.keys()], [`${standing.learner.id}|${program.id}`], `with ${others} others`);
      assert.equal(found.get(`${standing.learner.id}|${program.id}`)?.getTime(), issuedAt.getTime());
    }
  });

  test("standing awards are looked up by learner while the table's statistics lag behind it", async () => {
    const db = app.database.db;
    const repository = new IssuingRepository();
    // Only what the test does analyzes the table (PGlite has no autovacuum; the database is the file's own).
    if (testBackend === 'postgres') {
      await sql`alter table issued_awards set (autovacuum_enabled = false)`.execute(db);
    }
    const program = await aProgram(app);
    const model = await anIssuedBadge(app, { program });
    // A large list's first minute: thousands of awards in force for the program that no analyze has counted. Copies of
    // one award with new ids, as if from a list; their learners, credentials and rows do not exist, so foreign keys are
    // off for it.
    const COPIES = 4_000;
    const copyTheAward = () =>
      db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`
          insert into issued_awards
          select (jsonb_populate_record(a, jsonb_build_object(
            'id', gen_random_uuid(), 'learner_id', gen_random_uuid(), 'credential_id', gen_random_uuid(),
            'badge_request_id', null, 'source', 'tracking_list', 'tracking_list_row_id', gen_random_uuid()))).*
          from issued_awards a cross join generate_series(1, ${COPIES}) where a.credential_id = ${model.credentialId}
        `.execute(trx);
      });
    const estimatedAwards = async () =>
      (
        await sql<{ estimated: number }>`
          select reltuples::float8 as estimated from pg_class where oid = 'issued_awards'::regclass`.execute(
          db,
        )
      ).rows[0]!.estimated;
    /** Rows and index entries of the awards table read so far, by every scan of any kind. */
    const readSoFar = async () => {
      await sql`select pg_stat_force_next_flush()`.execute(db);
      const { rows } = await sql<{ read: number }>`
        select (coalesce(t.seq_tup_read, 0) + coalesce(sum(i.idx_tup_read), 0))::float8 as read
        from pg_stat_user_tables t left join pg_stat_user_indexes i on i.relid = t.relid
        where t.relid = 'issued_awards'::regclass group by t.seq_tup_read`.execute(db);
      return rows[0]!.read;
    };
    /** Looks up 40 standing awards and 60 absent ones; what it read, at most two entries a pair (one probe each). */
    const lookUpAFew = async (situation: string) => {
      const copied = await sql<{ learner_id: string }>`
        select learner_id from issued_awards where program_id = ${program.id} and credential_id <> ${model.credentialId}
        order by learner_id limit 40`.execute(db);
      const pairs = [
        ...copied.rows.map((row) => ({ learnerId: row.learner_id, programId: program.id })),
        ...Array.from({ length: 60 }, () => ({ learnerId: randomUUID(), programId: program.id })),
      ];
      const before = await readSoFar();
      const found = await repository.awardsFor(db, pairs);
      const read = (await readSoFar()) - before;
      assert.equal(found.size, 40, situation);
      assert.ok(read <= 2 * pairs.length, `${situation}: ${read} rows and index entries read for 100 pairs`);
    };

    // Never analyzed since the awards came.
    await copyTheAward();
    assert.ok((await estimatedAwards()) < COPIES / 2, 'the statistics do not count the awards yet');
    await lookUpAFew('statistics of an emptier table');

    // Analyzed while the table held a handful, looked up often then (single badges: on PGlite, a plan kept from
    // then would be reused), and only then the list's thousands.
    await sql`delete from issued_awards where program_id = ${program.id} and credential_id <> ${model.credentialId}`.execute(
      db,
    );
    await sql`analyze issued_awards`.execute(db);
    for (let run = 0; run < 8; run++) {
      await repository.awardsFor(db, [{ learnerId: model.learner.id, programId: program.id }]);
    }
    await copyTheAward();
    assert.ok((await estimatedAwards()) < COPIES / 2, 'the statistics count the handful');
    await lookUpAFew('statistics of a handful');
  });
});
