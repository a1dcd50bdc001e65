import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import {
  approvedRequests,
  assertGrewBy,
  counts,
  listIdFrom,
  sessions,
  staff,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';
import type { BadgeRequestView } from '../progress/badge-requests.repository.ts';
import { registrarCsvHeader } from './issuing.service.ts';

describe(`issuing approved badge requests on ${testBackend}`, () => {
  let app: TestApp;
  const as = sessions(() => app);
  let approved: BadgeRequestView[];
  const bySlug = (slug: string) => {
    const found = approved.find((r) => r.programSlug === slug);
    assert.ok(found, `an approved request for ${slug}`);
    return found;
  };

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    approved = await approvedRequests(app);
    assert.ok(approved.length >= 6, 'the demo has approved requests for both offices');
  });
  after(() => app.close());

  test('each office sees only its own approved requests', async () => {
    const credentials = textOf((await (await as(staff.credentials)).get('/issuing')).body);
    const registrar = textOf((await (await as(staff.registrar)).get('/issuing')).body);
    // Persuasive Communication is non-credit; Network Technology is credit-bearing.
    assert.match(credentials, /Persuasive Communication/);
    assert.doesNotMatch(credentials, /Network Technology/);
    assert.match(registrar, /Network Technology/);
    assert.doesNotMatch(registrar, /Persuasive Communication/);
    const learner = await as(staff.learner);
    assert.equal((await learner.get('/issuing')).statusCode, 403);
  });

  test('issuing one request stores the credential, posts the fee, marks the request issued and queues the claim mail', async () => {
    const request = bySlug('persuasive-communication');
    const before = await counts(app);
    const browser = await as(staff.credentials);
    const response = await browser.postForm('/issuing/issue', {
      office: 'credentials_office',
      one: request.id,
    });
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    assert.match(String(response.headers.location), /issued=1/);

    const db = app.database.db;
    const stored = await db
      .selectFrom('badge_requests')
      .select(['status', 'credential_id'])
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.status, 'issued');
    assert.ok(stored.credential_id);
    const credential = await db
      .selectFrom('credentials')
      .select(['learner_id', 'program_id', 'issued_by'])
      .where('id', '=', stored.credential_id)
      .executeTakeFirstOrThrow();
    assert.equal(credential.learner_id, request.learnerId);
    assert.equal(credential.program_id, request.programId);
    const charge = await db
      .selectFrom('fee_charges')
      .selectAll()
      .where('credential_id', '=', stored.credential_id)
      .executeTakeFirstOrThrow();
    assert.equal(charge.status, 'posted');
    assert.equal(charge.amount_cents, 1000);
    assert.equal(charge.learner_id, request.learnerId);
    const award = await db
      .selectFrom('issued_awards')
      .selectAll()
      .where('credential_id', '=', stored.credential_id)
      .executeTakeFirstOrThrow();
    assert.equal(award.office, 'credentials_office');
    assert.equal(award.credit_mode, 'non_credit');
    assert.equal(award.badge_request_id, request.id);

    const after = await counts(app);
    assert.equal(after.credentials - before.credentials, 1);
    assert.equal(after.fee_charges - before.fee_charges, 1);
    const mail = await app.services.notifications.list({ to: request.learnerEmail, limit: 1 });
    assert.ok(mail[0], 'a mail to the learner');
    assert.match(mail[0].subject, /Persuasive Communication/);

    const page = textOf((await browser.get(String(response.headers.location))).body);
    assert.match(page, /One badge was issued/);
    assert.match(page, /Recently issued.*Jordan Ellis.*Persuasive Communication.*Charged \$10\.00/);
  });

  test('a request that was already issued is refused, not issued again', async () => {
    const request = bySlug('persuasive-communication');
    const before = await counts(app);
    const browser = await as(staff.credentials);
    const response = await browser.postForm('/issuing/issue', {
      office: 'credentials_office',
      one: request.id,
    });
    assert.equal(response.statusCode, 409);
    assert.match(textOf(response.body), /no longer waiting to be issued/);
    assert.deepEqual(await counts(app), before);
  });

  test('the registrar cannot issue a non-credit request, and nothing is written', async () => {
    const request = bySlug('project-management');
    const before = await counts(app);
    const outcome = await app.services.issuing.issueApprovedRequests(
      await actorFor(staff.registrar),
      'registrar',
      [request.id],
    );
    assert.equal(outcome.issued.length, 0);
    assert.match(outcome.refused[0]?.reason ?? '', /credentials office/);
    assert.deepEqual(await counts(app), before);
    await assert.rejects(
      app.services.issuing.issueApprovedRequests(await actorFor(staff.registrar), 'credentials_office', [
        request.id,
      ]),
      { code: 'FORBIDDEN' },
    );
  });

  test('a failure after the fee is charged rolls back the credential, the charge and the request together', async () => {
    const request = bySlug('project-management');
    const before = await counts(app);
    app.services.issuing.faults.afterCharge = () => {
      throw new Error('simulated failure after the charge');
    };
    try {
      await assert.rejects(
        app.services.issuing.issueApprovedRequests(await actorFor(staff.credentials), 'credentials_office', [
          request.id,
        ]),
        /simulated failure after the charge/,
      );
    } finally {
      app.services.issuing.faults.afterCharge = undefined;
    }
    assert.deepEqual(await counts(app), before);
    const stored = await app.database.db
      .selectFrom('badge_requests')
      .select('status')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.status, 'approved');
  });

  test('the registrar issues a selection in bulk', async () => {
    const credit = approved.filter((r) =>
      ['network-technology', 'facilitating-adult-learning', 'foundations-of-professional-writing'].includes(
        r.programSlug,
      ),
    );
    assert.equal(credit.length, 3);
    const before = await counts(app);
    const browser = await as(staff.registrar);
    const response = await browser.postForm('/issuing/issue', {
      office: 'registrar',
      requestIds: credit.map((r) => r.id),
    });
    assert.equal(response.statusCode, 303, textOf(response.body).slice(0, 500));
    assert.match(String(response.headers.location), /issued=3/);
    const after = await counts(app);
    assertGrewBy(before, after, 3, ['credentials', 'fee_charges', 'issued_awards']);
    const page = textOf((await browser.get('/issuing')).body);
    assert.doesNotMatch(page, /Network Technology.*Approved, waiting/);
    assert.match(page, /3 badges were issued|Approved, waiting to be issued \(0\)/);
  });

  test('the database itself refuses a second award for the same learner and program', async () => {
    const db = app.database.db;
    const award = await db
      .selectFrom('issued_awards')
      .selectAll()
      .where('source', '=', 'badge_request')
      .executeTakeFirstOrThrow();
    // A credential of its own (no award points at it yet), so the one-award-per-credential rule cannot object.
    const other = await app.services.credentials.issueCredential(
      { system: 'issuing test' },
      { programId: award.program_id, learner: { email: 'second.award@example.org', name: 'Second Award' } },
    );
    // A second (withdrawn) request, so that only the learner-and-program rule can object.
    const requestId = newId();
    await db
      .insertInto('badge_requests')
      .values({
        id: requestId,
        learner_id: award.learner_id,
        program_id: award.program_id,
        status: 'withdrawn',
        evaluation: JSON.stringify({}),
      })
      .execute();
    await assert.rejects(
      db
        .insertInto('issued_awards')
        .values({ ...award, id: newId(), credential_id: other.id, badge_request_id: requestId })
        .execute(),
      (error: { code?: string; message?: string }) =>
        error.code === '23505' && /issued_awards_once/.test(String(error.message)),
    );
  });

  test("a hybrid program's request is in both queues until the learner's cohort list names the office", async () => {
    const db = app.database.db;
    const program = await db
      .selectFrom('programs')
      .select(['id', 'title'])
      .where('slug', '=', 'design-thinking-and-lean-entrepreneurship')
      .executeTakeFirstOrThrow();
    const learner = await db
      .selectFrom('learners')
      .select(['id', 'name'])
      .where('student_id', '=', 'C00023871')
      .executeTakeFirstOrThrow();
    const lead = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'lead@cascaderidge.example')
      .executeTakeFirstOrThrow();
    const requestId = newId();
    await db
      .insertInto('badge_requests')
      .values({
        id: requestId,
        learner_id: learner.id,
        program_id: program.id,
        status: 'approved',
        decided_by: lead.id,
        decided_at: new Date('2026-11-20T10:00:00Z'),
        evaluation: JSON.stringify({ asOf: '2026-11-20', met: true, percent: 100, explanation: 'Met.' }),
      })
      .execute();
    const registrar = textOf((await (await as(staff.registrar)).get('/issuing')).body);
    const office = textOf((await (await as(staff.credentials)).get('/issuing')).body);
    assert.match(registrar, new RegExp(`${program.title} .*also in the credentials office's queue`));
    assert.match(office, new RegExp(`${program.title} .*also in the registrar's queue`));

    // The credentials office's non-credit list for the cohort names her: from now on it is theirs alone.
    const list = [
      'student_id,email,first_name,last_name,program,completion_date,term,credit_mode',
      'C00023871,amara.chen@students.cascaderidge.example,Amara,Chen,design-thinking-and-lean-entrepreneurship,2026-11-01,2026 Fall,non_credit',
    ].join('\n');
    listIdFrom(await uploadList(app, await as(staff.credentials), 'design-thinking.csv', list));
    assert.doesNotMatch(
      textOf((await (await as(staff.registrar)).get('/issuing')).body),
      new RegExp(program.title),
    );
    const browser = await as(staff.credentials);
    const response = await browser.postForm('/issuing/issue', {
      office: 'credentials_office',
      one: requestId,
    });
    assert.equal(response.statusCode, 303, textOf(response.body).slice(0, 400));
    const award = await db
      .selectFrom('issued_awards')
      .select(['office', 'credit_mode'])
      .where('badge_request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(award, { office: 'credentials_office', credit_mode: 'non_credit' });
  });

  test('the registrar exports credit-bearing awards once; a second export is empty; the batch can be downloaded again', async () => {
    const browser = await as(staff.registrar);
    const page = textOf((await browser.get('/issuing/exports')).body);
    assert.match(page, /3 credit-bearing badges are waiting/);

    const first = await browser.postForm('/issuing/exports/registrar.csv', {});
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['content-type']), /text\/csv/);
    const rows = parse(first.body, { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0] ?? {}), [...registrarCsvHeader]);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => r.program).sort(), [
      'facilitating-adult-learning',
      'foundations-of-professional-writing',
      'network-technology',
    ]);
    assert.ok(
      rows.every((r) => r.transcript_notation?.startsWith('Micro-credential: ') && Number(r.credits) > 0),
    );
    const unexported = await app.database.db
      .selectFrom('issued_awards')
      .select('id')
      .where('credit_mode', '=', 'credit')
      .where('registrar_export_id', 'is', null)
      .execute();
    assert.equal(unexported.length, 0);

    const second = await browser.postForm('/issuing/exports/registrar.csv', {});
    assert.equal(second.statusCode, 200);
    assert.equal(parse(second.body, { columns: true }).length, 0);
    assert.equal(second.body.trim(), registrarCsvHeader.join(','));

    const listing = (await browser.get('/issuing/exports')).body;
    const links = [...listing.matchAll(/href="(\/issuing\/exports\/registrar\/[0-9a-f-]{36}\.csv)"/g)];
    assert.equal(links.length, 1, 'only the export with rows is kept');
    const again = await browser.get(links[0]![1]!);
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, first.body);

    const credentialsOffice = await as(staff.credentials);
    assert.equal((await credentialsOffice.postForm('/issuing/exports/registrar.csv', {})).statusCode, 403);
  });

  async function actorFor(email: string) {
    const user = await app.database.db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const roles = await app.database.db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', user.id)
      .execute();
    return { ...user, roles: roles.map((r) => r.role) };
  }
});
