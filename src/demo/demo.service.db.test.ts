import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { loadDemoUniversity } from './demo-data.ts';

describe(`demo university seeding on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('seeds every program, account and learner from the data file, once', async () => {
    const data = loadDemoUniversity();
    const accounts = await app.services.demo.seedIfEmpty(data);
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
    const data = loadDemoUniversity();
    const draft = data.programs.find((p) => p.status === 'draft')!;
    assert.doesNotMatch(home.body, new RegExp(draft.title));
  });

  test('the first start adds demo activity: badge requests for finished learners and proposals in flight', async () => {
    const other = await startTestApp({ runJobs: false });
    try {
      assert.ok(await other.services.demo.seedDemoWithActivity());
      const db = other.database.db;
      const requests = await db.selectFrom('badge_requests').select('status').execute();
      assert.ok(requests.some((r) => r.status === 'requested'));
      assert.ok(requests.some((r) => r.status === 'approved'));
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
