import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aBadgeRequest,
  aLearner,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import {
  assertGrewBy,
  counts,
  issueThroughSummary,
  listIdFrom,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';
import { registrarCsvHeader } from './issuing.service.ts';

/** The issuing offices' staff on a fresh app, each as an actor and signed in. */
async function issuingApp() {
  const app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
  await anInstitution(app);
  const officer = await aStaffMember(app, 'credentials_office');
  const registrarClerk = await aStaffMember(app, 'registrar');
  const admin = await aStaffMember(app, 'admin');
  return {
    app,
    officer,
    registrarClerk,
    admin,
    office: await officer.signIn(),
    registrar: await registrarClerk.signIn(),
  };
}

/** A learner's request, met and approved by an administrator: what waits in an issuing office's queue. */
async function anApprovedRequest(
  app: TestApp,
  admin: Person,
  program?: BuiltProgram,
  learner?: BuiltLearner,
) {
  const built = await aBadgeRequest(app, { program, learner });
  await app.services.badgeRequests.decide(admin, built.request.id, 'approve', '');
  return built;
}

describe(`issuing approved badge requests on ${testBackend}`, () => {
  let app: TestApp;
  let officer: Person;
  let registrarClerk: Person;
  let admin: Person;
  let office: BrowserSession;
  let registrar: BrowserSession;
  const approved = (program?: BuiltProgram) => anApprovedRequest(app, admin, program);

  before(async () => {
    ({ app, officer, registrarClerk, admin, office, registrar } = await issuingApp());
  });
  after(() => app.close());

  test('each office sees only its own approved requests', async () => {
    await approved(await aProgram(app, { title: 'Persuasive Speaking', creditType: 'non_credit' }));
    const { learner } = await approved(
      await aProgram(app, { title: 'Network Cabling', creditType: 'credit' }),
    );
    const credentials = textOf((await office.get('/issuing')).body);
    const registrarPage = textOf((await registrar.get('/issuing')).body);
    assert.match(credentials, /Persuasive Speaking/);
    assert.doesNotMatch(credentials, /Network Cabling/);
    assert.match(registrarPage, /Network Cabling/);
    assert.doesNotMatch(registrarPage, /Persuasive Speaking/);
    const learnerBrowser = await learner.account!.signIn();
    assert.equal((await learnerBrowser.get('/issuing')).statusCode, 403);
  });

  test('issuing one request stores the credential, posts the fee, marks the request issued and queues the claim mail', async () => {
    const program = await aProgram(app, { title: 'Speaking to Persuade', creditType: 'non_credit' });
    const { request: requested, learner } = await approved(program);
    const request = {
      ...requested,
      learnerId: learner.id,
      programId: program.id,
      learnerEmail: learner.email,
    };
    const before = await counts(app);
    const browser = office;
    const response = await issueThroughSummary(browser, 'credentials_office', [request.id]);
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
    assert.match(mail[0].subject, /Speaking to Persuade/);

    const page = textOf((await browser.get(String(response.headers.location))).body);
    assert.match(page, /One badge was issued/);
    assert.match(
      page,
      new RegExp(`Recently issued.*${learner.name}.*Speaking to Persuade.*Charged \\$10\\.00`),
    );
  });

  test('a request that was already issued is refused, not issued again', async () => {
    const { request } = await approved(await aProgram(app, { creditType: 'non_credit' }));
    const first = await issueThroughSummary(office, 'credentials_office', [request.id]);
    assert.equal(first.statusCode, 303);
    const before = await counts(app);
    const response = await issueThroughSummary(office, 'credentials_office', [request.id]);
    assert.equal(response.statusCode, 409);
    assert.match(textOf(response.body), /no longer waiting to be issued/);
    assert.deepEqual(await counts(app), before);
  });

  test('the registrar cannot issue a non-credit request, and nothing is written', async () => {
    const { request } = await approved(await aProgram(app, { creditType: 'non_credit' }));
    const before = await counts(app);
    const outcome = await app.services.issuing.issueApprovedRequests(registrarClerk, 'registrar', [
      request.id,
    ]);
    assert.equal(outcome.issued.length, 0);
    assert.match(outcome.refused[0]?.reason ?? '', /credentials office/);
    assert.deepEqual(await counts(app), before);
    await assert.rejects(
      app.services.issuing.issueApprovedRequests(registrarClerk, 'credentials_office', [request.id]),
      { code: 'FORBIDDEN' },
    );
  });

  test('a failure after the fee is charged rolls back the credential, the charge and the request together', async () => {
    const { request } = await approved(await aProgram(app, { creditType: 'non_credit' }));
    const before = await counts(app);
    app.services.issuing.faults.afterCharge = () => {
      throw new Error('simulated failure after the charge');
    };
    try {
      await assert.rejects(
        app.services.issuing.issueApprovedRequests(officer, 'credentials_office', [request.id]),
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
    const titles = ['Network Routing', 'Adult Learning', 'Professional Writing'];
    const credit = [];
    for (const title of titles) {
      credit.push((await approved(await aProgram(app, { title, creditType: 'credit' }))).request);
    }
    const before = await counts(app);
    const browser = registrar;
    const response = await issueThroughSummary(
      browser,
      'registrar',
      credit.map((r) => r.id),
    );
    assert.equal(response.statusCode, 303, textOf(response.body).slice(0, 500));
    assert.match(String(response.headers.location), /issued=3/);
    const after = await counts(app);
    assertGrewBy(before, after, 3, ['credentials', 'fee_charges', 'issued_awards']);
    const page = textOf((await browser.get(String(response.headers.location))).body);
    assert.match(page, /3 badges were issued/);
    // Other tests' requests may still wait in this office's queue; none of these three does.
    const waiting = page.slice(page.indexOf('Approved, waiting'), page.indexOf('Recently issued'));
    for (const title of titles) assert.ok(!waiting.includes(title), `${title} left the queue`);
  });

  test('the database itself refuses a second award for the same learner and program', async () => {
    const { request } = await approved(await aProgram(app, { creditType: 'non_credit' }));
    await app.services.issuing.issueApprovedRequests(officer, 'credentials_office', [request.id]);
    const db = app.database.db;
    const award = await db
      .selectFrom('issued_awards')
      .selectAll()
      .where('badge_request_id', '=', request.id)
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
    const program = await aProgram(app, { title: 'Design Thinking', creditType: 'hybrid' });
    const learner = await aLearner(app, { name: 'Ines Moreau' });
    const { request } = await anApprovedRequest(app, admin, program, learner);
    const requestId = request.id;
    const registrarPage = textOf((await registrar.get('/issuing')).body);
    const officePage = textOf((await office.get('/issuing')).body);
    assert.match(registrarPage, new RegExp(`${program.title} .*also in the credentials office's queue`));
    assert.match(officePage, new RegExp(`${program.title} .*also in the registrar's queue`));

    // The credentials office's non-credit list for the cohort names her: from now on it is theirs alone.
    const list = [
      'student_id,email,first_name,last_name,program,completion_date,term,credit_mode',
      `${learner.studentId},${learner.email},Ines,Moreau,${program.slug},2026-11-01,2026 Fall,non_credit`,
    ].join('\n');
    listIdFrom(await uploadList(app, office, 'design-thinking.csv', list));
    assert.doesNotMatch(textOf((await registrar.get('/issuing')).body), new RegExp(program.title));
    const response = await issueThroughSummary(office, 'credentials_office', [requestId]);
    assert.equal(response.statusCode, 303, textOf(response.body).slice(0, 400));
    const award = await db
      .selectFrom('issued_awards')
      .select(['office', 'credit_mode'])
      .where('badge_request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(award, { office: 'credentials_office', credit_mode: 'non_credit' });
  });
});

// Its own app: the export takes every credit-bearing award not yet exported, so it counts only what it made.
describe(`the registrar's export on ${testBackend}`, () => {
  let app: TestApp;
  let officer: Person;
  let registrarClerk: Person;
  let admin: Person;
  let office: BrowserSession;
  let registrar: BrowserSession;

  before(async () => {
    ({ app, officer, registrarClerk, admin, office, registrar } = await issuingApp());
  });
  after(() => app.close());

  test('the registrar exports credit-bearing awards once; a second export is empty; the batch can be downloaded again', async () => {
    const titles = ['Network Routing', 'Adult Learning', 'Professional Writing'];
    const slugs = [];
    for (const title of titles) {
      const program = await aProgram(app, { title, creditType: 'credit' });
      slugs.push(program.slug);
      const { request } = await anApprovedRequest(app, admin, program);
      await app.services.issuing.issueApprovedRequests(registrarClerk, 'registrar', [request.id]);
    }
    // A non-credit badge is not the registrar's to export.
    const { request } = await anApprovedRequest(
      app,
      admin,
      await aProgram(app, { creditType: 'non_credit' }),
    );
    await app.services.issuing.issueApprovedRequests(officer, 'credentials_office', [request.id]);
    const browser = registrar;
    const page = textOf((await browser.get('/issuing/exports')).body);
    assert.match(page, /3 credit-bearing badges are waiting/);

    const first = await browser.postForm('/issuing/exports/registrar.csv', {});
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['content-type']), /text\/csv/);
    const rows = parse(first.body, { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0] ?? {}), [...registrarCsvHeader]);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => r.program).sort(), slugs.sort());
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

    assert.equal((await office.postForm('/issuing/exports/registrar.csv', {})).statusCode, 403);
  });
});
