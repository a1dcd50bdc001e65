import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { loadDemoUniversity } from './demo-data.ts';

describe(`demo university seeding on ${testBackend}`, () => {
  // The one test file on the whole demo university: it is seeded once, before the tests, which only read it.
  const data = loadDemoUniversity();
  let app: TestApp;
  let accounts: Awaited<ReturnType<TestApp['services']['demo']['seedIfEmpty']>>;
  before(async () => {
    app = await startTestApp({ runJobs: false });
    accounts = await app.services.demo.seedIfEmpty(data);
  });
  after(() => app.close());

  test('seeds every program, account and learner from the data file, once', async () => {
    assert.ok(accounts);
    const roles = new Set(accounts.flatMap((a) => a.roles));
    for (const role of [
      'learner',
      'program_lead',
      'approver',
      'credentials_office',
      'registrar',
      'bursar',
      'admin',
    ]) {
      assert.ok(roles.has(role as never), `a demo account holds ${role}`);
    }
    const db = app.database.db;
    const count = async (table: 'programs' | 'learners' | 'completions' | 'users') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await count('programs'), data.programs.length);
    assert.equal(await count('learners'), data.learners.length);
    assert.equal(await count('users'), data.users.length);
    const completions = data.learners.flatMap((l) => l.enrolments.flatMap((e) => e.completions)).length;
    assert.equal(await count('completions'), completions);

    assert.equal(await app.services.demo.seedIfEmpty(data), null, 'a second start does not seed again');
    assert.equal(await count('programs'), data.programs.length);
  });

  test('the public home page shows the seeded institution and only offered programs', async () => {
    const home = await app.http.inject({ url: '/' });
    assert.match(home.body, /Cascade Ridge University/);
    const draft = data.programs.find((p) => p.status === 'draft')!;
    assert.doesNotMatch(home.body, new RegExp(draft.title));
  });

  test('every demo learner is measured at the stage the data file gives them', async () => {
    const programIds = new Map(
      (await app.database.db.selectFrom('programs').select(['id', 'slug']).execute()).map((p) => [
        p.slug,
        p.id,
      ]),
    );
    const progressOf = async (email: string, slug: string) => {
      const { learners } = await app.services.progress.evaluateProgram(programIds.get(slug)!);
      const found = learners.find((learner) => learner.email === email);
      assert.ok(found, `${email} is enrolled in ${slug}`);
      return found.progress;
    };
    for (const learner of data.learners) {
      for (const enrolment of learner.enrolments) {
        const progress = await progressOf(learner.email, enrolment.program);
        const where = `${learner.email} in ${enrolment.program}`;
        if (enrolment.stage === 'complete' || enrolment.stage === 'badge_issued') {
          assert.equal(progress.met, true, `${where} is met`);
          assert.equal(progress.status, 'complete', where);
        } else if (enrolment.stage === 'half_way') {
          assert.equal(progress.met, false, `${where} is not met`);
          assert.ok(progress.percent > 0 && progress.percent < 100, `${where} is part way`);
          assert.ok(progress.missing.length > 0, `${where} says what is missing`);
        } else {
          // Just enrolled: courses taken for another program may already count here, but nothing is met.
          assert.equal(progress.met, false, `${where} is not met`);
        }
      }
    }
    const halfWay = await progressOf('learner@cascaderidge.example', 'data-visualization');
    assert.equal(halfWay.explanation, '2 of 3 required courses done; still needs MATH 344 (C- or better).');
  });

  test('the first start adds demo activity: badge requests, the badges the data calls issued, and proposals in flight', async () => {
    const other = await startTestApp({ runJobs: false });
    try {
      assert.ok(await other.services.demo.seedDemoWithActivity());
      const db = other.database.db;
      const requests = await db
        .selectFrom('badge_requests as r')
        .innerJoin('learners as l', 'l.id', 'r.learner_id')
        .innerJoin('programs as p', 'p.id', 'r.program_id')
        .select(['r.status', 'l.email', 'p.slug'])
        .execute();
      // Waiting for the 4 complete enrolments; the 6 whose badge the data file calls issued were issued.
      assert.equal(requests.filter((r) => r.status === 'requested').length, 4);
      assert.equal(requests.filter((r) => r.status === 'issued').length, 6);
      const statusOf = (email: string, slug: string) =>
        requests.find((r) => r.email === email && r.slug === slug)?.status;
      assert.equal(
        statusOf('amara.chen@students.cascaderidge.example', 'geographic-information-systems-gis'),
        'requested',
      );
      assert.equal(statusOf('luis.ferreira@mail.example', 'project-management'), 'issued');
      // Issued through the issuing service: a signed credential, its fee and a badge in the learner's backpack.
      const demo = loadDemoUniversity();
      const issuedStage = demo.learners.flatMap((learner) =>
        learner.enrolments
          .filter((enrolment) => enrolment.stage === 'badge_issued')
          .map((enrolment) => ({ email: learner.email, slug: enrolment.program })),
      );
      // The demo learner signs in and finds the badge in the backpack.
      const demoLearner = await other.services.accounts.verifiedAccountByEmail(
        db,
        'learner@cascaderidge.example',
      );
      const backpack = await other.services.backpack.list(demoLearner!);
      assert.deepEqual(
        backpack.map((badge) => badge.name),
        ['Persuasive Communication'],
      );
      const awards = await db
        .selectFrom('issued_awards as a')
        .innerJoin('backpack_items as b', 'b.credential_id', 'a.credential_id')
        .innerJoin('fee_charges as f', 'f.credential_id', 'a.credential_id')
        .innerJoin('learners as l', 'l.id', 'a.learner_id')
        .innerJoin('programs as p', 'p.id', 'a.program_id')
        .select(['l.email', 'p.slug', 'a.source'])
        .execute();
      assert.deepEqual(
        awards.map((a) => `${a.email} ${a.slug} ${a.source}`).sort(),
        issuedStage.map((i) => `${i.email} ${i.slug} badge_request`).sort(),
      );
      const statuses = await db
        .selectFrom('programs')
        .select('status')
        .where('status', 'in', ['awaiting_signatures', 'submitted'])
        .execute();
      assert.equal(statuses.length, 2);
      assert.equal(await other.services.demo.seedDemoWithActivity(), null, 'a second start adds nothing');
      assert.equal((await db.selectFrom('badge_requests').select('id').execute()).length, requests.length);
    } finally {
      await other.close();
    }
  });
});
