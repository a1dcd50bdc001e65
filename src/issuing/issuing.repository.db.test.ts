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
    const found = await new IssuingRepository().awardsFor(db, [
      { learnerId: standing.learner.id, programId: program.id },
      { learnerId: standing.learner.id, programId: other.id },
      { learnerId: revoked.learner.id, programId: elsewhere.program.id },
      { learnerId: revoked.learner.id, programId: program.id },
      { learnerId: renewed.learner.id, programId: program.id },
      { learnerId: randomUUID(), programId: program.id },
    ]);
    assert.deepEqual([...found.keys()], [`${standing.learner.id}|${program.id}`]);
    assert.equal(found.get(`${standing.learner.id}|${program.id}`)?.getTime(), issuedAt.getTime());
  });
});
