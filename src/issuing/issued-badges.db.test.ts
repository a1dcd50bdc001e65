import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aBadgeRequest,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import {
  commitThroughConfirmation,
  counts,
  credentialStatus,
  issueThroughSummary,
  listIdFrom,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { setSuspension } from '../../test/support/suspension.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import type { BadgeRequestView } from '../progress/badge-requests.repository.ts';

describe(`the register of issued badges on ${testBackend}`, () => {
  let app: TestApp;
  let people: Record<'credentials' | 'registrar' | 'admin' | 'learner', Person>;
  const browsers = new Map<string, BrowserSession>();
  /** One signed-in browser per person, kept for the file. */
  const as = async (who: keyof typeof people) => {
    if (!browsers.has(who)) browsers.set(who, await people[who].signIn());
    return browsers.get(who)!;
  };
  // Issued before the tests and only read by them; a test that changes a badge issues its own.
  let nonCredit: { request: BadgeRequestView; credentialId: string };
  let credit: { request: BadgeRequestView; credentialId: string };

  /** A learner's approved request for a new program of this kind, issued by its office through the page. */
  const issueNew = async (kind: 'non_credit' | 'credit') => {
    const title = kind === 'credit' ? 'Network Technology' : 'Persuasive Communication';
    const built = await aBadgeRequest(app, { program: await aProgram(app, { title, creditType: kind }) });
    await app.services.badgeRequests.decide(people.admin, built.request.id, 'approve', '');
    const request = (await app.services.badgeRequests.listApprovedRequests()).find(
      (r) => r.id === built.request.id,
    )!;
    const [who, office] =
      kind === 'credit'
        ? (['registrar', 'registrar'] as const)
        : (['credentials', 'credentials_office'] as const);
    const response = await issueThroughSummary(await as(who), office, [request.id]);
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    const row = await app.database.db
      .selectFrom('issued_awards')
      .select('credential_id')
      .where('badge_request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    return { request, credentialId: row.credential_id, learner: built.learner.account! };
  };

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
    people = {
      credentials: await aStaffMember(app, 'credentials_office'),
      registrar: await aStaffMember(app, 'registrar'),
      admin: await aStaffMember(app, 'admin'),
      learner: (await aBadgeRequest(app)).learner.account!,
    };
    nonCredit = await issueNew('non_credit');
    credit = await issueNew('credit');
  });
  after(() => app.close());

  test('each office finds the badges it issued, by name, program and status, and no others', async () => {
    const office = await as('credentials');
    const all = textOf((await office.get('/issuing/badges')).body);
    assert.match(
      all,
      new RegExp(`${nonCredit.request.learnerName}.*Persuasive Communication.*Issued, not yet claimed`),
    );
    assert.doesNotMatch(all, /Network Technology/);

    const surname = nonCredit.request.learnerName.split(' ').at(-1)!;
    const byName = textOf((await office.get(`/issuing/badges?search=${surname.toLowerCase()}`)).body);
    assert.match(byName, /Persuasive Communication/);
    const byId = textOf((await office.get(`/issuing/badges?search=urn:uuid:${nonCredit.credentialId}`)).body);
    assert.match(byId, /One badge\./);
    const revoked = textOf((await office.get('/issuing/badges?status=revoked')).body);
    assert.ok(!revoked.includes(nonCredit.request.learnerName), 'an active badge is not among the revoked');
    // A search with LIKE wildcards is taken literally.
    assert.match(textOf((await office.get('/issuing/badges?search=%25')).body), /No issued badge matches/);

    const registrar = textOf((await (await as('registrar')).get('/issuing/badges')).body);
    assert.match(registrar, /Network Technology/);
    assert.doesNotMatch(registrar, /Persuasive Communication/);
  });

  test("a badge's record is open to its own office only", async () => {
    const path = `/issuing/badges/${nonCredit.credentialId}`;
    const page = await (await as('credentials')).get(path);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Revoke this badge/);
    assert.equal((await (await as('registrar')).get(path)).statusCode, 404);
    assert.equal((await (await as('learner')).get(path)).statusCode, 403);
    assert.equal((await (await as('credentials')).get('/issuing/badges/not-a-badge')).statusCode, 404);
  });

  test('a revocation without a category or reason is refused with field errors and changes nothing', async () => {
    const office = await as('credentials');
    const response = await office.postForm(`/issuing/badges/${nonCredit.credentialId}/status`, {
      change: 'revoke',
      'revoke-category': '',
      'revoke-reason': '   ',
    });
    assert.equal(response.statusCode, 400);
    const text = textOf(response.body);
    assert.match(text, /There is a problem/);
    assert.match(text, /Category shown on the public page is required when revoking/);
    assert.match(text, /Reason is required/);
    assert.equal(await credentialStatus(app, nonCredit.credentialId), 'active');
  });

  test('with suspension off (the default) the record offers no Suspend, and a forged suspend is refused', async () => {
    const office = await as('credentials');
    const path = `/issuing/badges/${nonCredit.credentialId}`;
    const page = textOf((await office.get(path)).body);
    assert.doesNotMatch(page, /Suspend this badge/);
    assert.match(page, /Suspending badges is turned off for this institution/);
    const forged = await office.postForm(`${path}/status`, {
      change: 'suspend',
      'suspend-reason': 'Inquiry.',
    });
    assert.notEqual(forged.statusCode, 303);
    assert.match(textOf(forged.body), /Suspension is turned off for this institution/);
    assert.equal(await credentialStatus(app, nonCredit.credentialId), 'active');
  });

  test('suspend, reinstate, then revoke: the status list, the public page and the learner all follow', async () => {
    const nonCredit = await issueNew('non_credit');
    // The learner accepted it, so its page is shared (issue 19) and shows what became of it.
    await app.services.backpack.accept(nonCredit.learner, nonCredit.credentialId);
    const office = await as('credentials');
    const path = `/issuing/badges/${nonCredit.credentialId}`;
    await setSuspension(app, true);
    assert.match(textOf((await office.get(path)).body), /Suspend this badge.*Revoke this badge/);

    const suspended = await office.postForm(`${path}/status`, {
      change: 'suspend',
      'suspend-reason': 'Inquiry into the final project is open.',
    });
    assert.equal(suspended.statusCode, 303);
    assert.equal(await credentialStatus(app, nonCredit.credentialId), 'suspended');
    assert.match(textOf((await office.get(String(suspended.headers.location))).body), /is suspended/);

    const reinstated = await office.postForm(`${path}/status`, {
      change: 'reinstate',
      'reinstate-reason': 'Inquiry closed.',
    });
    assert.equal(reinstated.statusCode, 303);
    assert.equal(await credentialStatus(app, nonCredit.credentialId), 'active');
    await setSuspension(app, false);

    const reason = 'The capstone grade was entered against the wrong student.';
    const revoked = await office.postForm(`${path}/status`, {
      change: 'revoke',
      'revoke-category': 'issued_in_error',
      'revoke-reason': reason,
    });
    assert.equal(revoked.statusCode, 303);
    assert.equal(await credentialStatus(app, nonCredit.credentialId), 'revoked');
    const record = textOf((await office.get(path)).body);
    assert.match(record, /Revoked/);
    assert.match(record, /Shown publicly as: Issued in error/);
    assert.doesNotMatch(record, /Revoke this badge/);

    const [mail] = await app.services.notifications.list({ to: nonCredit.request.learnerEmail, limit: 1 });
    assert.ok(mail, 'the learner is told');
    assert.match(mail.subject, /revoked/);
    assert.match(mail.text_body, new RegExp(reason));

    const verdict = await app.http.inject({ method: 'GET', url: `/badges/${nonCredit.credentialId}` });
    const publicText = textOf(verdict.body);
    assert.match(publicText, /revoked/i);
    assert.match(publicText, /Issued in error/);
    assert.doesNotMatch(publicText, /wrong student/, 'the reason itself stays private');

    const again = await office.postForm(`${path}/status`, {
      change: 'revoke',
      'revoke-category': 'other',
      'revoke-reason': 'Twice.',
    });
    assert.equal(again.statusCode, 409);
    assert.match(textOf(again.body), /already revoked/);
  });

  test('after a revocation the learner can be issued the badge again, once', async () => {
    const nonCredit = await issueNew('non_credit');
    await app.services.credentials.changeStatus(
      people.credentials,
      nonCredit.credentialId,
      'revoke',
      'Issued in error.',
    );
    const { learnerName, programSlug } = nonCredit.request;
    const [first, ...rest] = learnerName.split(' ');
    const student = await app.database.db
      .selectFrom('learners')
      .select(['student_id', 'email'])
      .where('id', '=', nonCredit.request.learnerId)
      .executeTakeFirstOrThrow();
    const list = [
      'student_id,email,first_name,last_name,program,completion_date,term,fee_waived,notes',
      `${student.student_id},${student.email},${first},${rest.join(' ')},${programSlug},2026-10-30,2026 Fall,no,`,
    ].join('\n');
    const office = await as('credentials');
    // Someone other than the office member who commits it uploads the list (separation of duties).
    const uploader = await as('admin');
    const upload = async () => {
      const listId = listIdFrom(await uploadList(app, uploader, 'reissue.csv', list));
      const preview = textOf((await office.get(`/issuing/tracking-lists/${listId}`)).body);
      return { listId, preview };
    };

    const { listId, preview } = await upload();
    assert.doesNotMatch(preview, /Already issued/i, 'the revoked badge does not count as issued');
    const before = await counts(app);
    assert.equal((await commitThroughConfirmation(office, listId)).statusCode, 303);
    await app.services.trackingLists.processList(listId);
    const after = await counts(app);
    assert.equal(after.credentials - before.credentials, 1);
    assert.equal(after.fee_charges - before.fee_charges, 1);
    const awards = await app.database.db
      .selectFrom('issued_awards')
      .select(['credential_id', 'revoked_at'])
      .where('learner_id', '=', nonCredit.request.learnerId)
      .where('program_id', '=', nonCredit.request.programId)
      .orderBy('issued_at')
      .execute();
    assert.equal(awards.length, 2);
    assert.equal(awards[0]?.credential_id, nonCredit.credentialId);
    assert.ok(awards[0]?.revoked_at, 'the old award is marked revoked');
    assert.equal(awards[1]?.revoked_at, null);

    // The new badge stands, so the same list uploaded again finds it issued and cannot issue a third.
    const second = await upload();
    assert.match(second.preview, /already/i);
    const refused = await office.postForm(`/issuing/tracking-lists/${second.listId}/commit`, {});
    assert.notEqual(refused.statusCode, 303);
    assert.equal((await counts(app)).credentials, after.credentials);
  });

  test('the other office cannot change a badge it did not issue', async () => {
    const response = await (await as('credentials')).postForm(
      `/issuing/badges/${credit.credentialId}/status`,
      { change: 'suspend', 'suspend-reason': 'Not ours.' },
    );
    assert.equal(response.statusCode, 404);
    assert.equal(await credentialStatus(app, credit.credentialId), 'active');
  });

  test('a credit badge revoked after its export is withdrawn from the transcript by the next export, once', async () => {
    const credit = await issueNew('credit');
    const registrar = await as('registrar');
    const exportNow = async () => {
      const response = await registrar.postForm('/issuing/exports/registrar.csv', {});
      assert.equal(response.statusCode, 200);
      return parse(response.body, { columns: true }) as Record<string, string>[];
    };
    const sent = (await exportNow()).filter((row) => row.credential_id === credit.credentialId);
    assert.deepEqual(
      sent.map((row) => [row.action, row.revoked_on]),
      [['add', '']],
    );

    const revoked = await registrar.postForm(`/issuing/badges/${credit.credentialId}/status`, {
      change: 'revoke',
      'revoke-category': 'issued_in_error',
      'revoke-reason': 'The course grade was changed to a fail.',
    });
    assert.equal(revoked.statusCode, 303);
    assert.match(
      textOf((await registrar.get('/issuing/exports')).body),
      /1 revoked badge is on transcripts already and will be withdrawn/,
    );

    const withdrawn = await exportNow();
    assert.equal(withdrawn.length, 1, 'only the withdrawal: nothing else is new');
    assert.equal(withdrawn[0]?.action, 'withdraw');
    assert.equal(withdrawn[0]?.credential_id, credit.credentialId);
    assert.equal(withdrawn[0]?.program, credit.request.programSlug);
    assert.equal(withdrawn[0]?.revoked_on, '2026-11-25');
    assert.deepEqual(await exportNow(), [], 'a withdrawal is sent once');
    assert.doesNotMatch(textOf((await registrar.get('/issuing/exports')).body), /will be withdrawn/);
  });
});
