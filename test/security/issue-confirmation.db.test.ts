// Issue 17, point 15: issuing signs credentials and charges fees, so it follows a confirmation the server checks,
// not only a page in between. A POST to issue approved requests, or to commit a tracking list, that does not carry
// the confirmation of the summary as it stands now issues nothing: it answers with the summary instead.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import {
  aBadgeRequest,
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../support/builders.ts';
import {
  commitThroughConfirmation,
  counts,
  issueThroughSummary,
  jobsFor,
  listIdFrom,
  listStatus,
  textOf,
  uploadList,
} from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const confirmationIn = (html: string) => /name="confirmation" value="([^"]+)"/.exec(html)?.[1];

describe(`the confirmation before issuing on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;
  let office: BrowserSession;

  /** A learner's request for a new non-credit program with this fee, approved: it waits for the office. */
  async function anApprovedRequest(feeCents: number) {
    const program = await aProgram(app, { creditType: 'non_credit', feeCents });
    const built = await aBadgeRequest(app, { program });
    await app.services.badgeRequests.decide(admin, built.request.id, 'approve', '');
    return built;
  }

  const requestStatus = async (id: string) =>
    (
      await app.database.db
        .selectFrom('badge_requests')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    admin = await aStaffMember(app, 'admin');
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
  });
  after(() => app?.close());

  test('the summary names the learner, the badge and the fee before anything is issued', async () => {
    const { request, learner, program } = await anApprovedRequest(2500);
    const before = await counts(app);
    const summary = await office.get(
      `/issuing/issue/confirm?office=credentials_office&requestIds=${request.id}`,
    );
    assert.equal(summary.statusCode, 200);
    const text = textOf(summary.body);
    assert.match(text, /Issue 1 badge\?/);
    assert.match(text, new RegExp(`${learner.name} ${learner.studentId} ${program.title} .*\\$25\\.00`));
    assert.match(text, /charges \$25\.00 in fees to the student account of 1 learner/);
    assert.ok(confirmationIn(summary.body), 'the Yes button carries the confirmation');
    assert.deepEqual(await counts(app), before, 'looking at the summary writes nothing');
  });

  test('a POST to issue without the confirmation issues nothing and answers with the summary', async () => {
    const { request, program } = await anApprovedRequest(1500);
    const before = await counts(app);
    const chosen: Record<string, string | string[]>[] = [{ one: request.id }, { requestIds: [request.id] }];
    for (const fields of chosen) {
      const response = await office.postForm('/issuing/issue', { office: 'credentials_office', ...fields });
      assert.equal(response.statusCode, 428);
      const text = textOf(response.body);
      assert.match(text, /Nothing was issued: issuing needs your confirmation/);
      assert.match(text, new RegExp(`${program.title} .*\\$15\\.00`));
    }
    assert.deepEqual(await counts(app), before);
    assert.equal(await requestStatus(request.id), 'approved');
  });

  test('a confirmation of another summary, or of a fee that has since changed, issues nothing', async () => {
    const { request, program } = await anApprovedRequest(1000);
    const summary = await office.get(
      `/issuing/issue/confirm?office=credentials_office&requestIds=${request.id}`,
    );
    const seen = confirmationIn(summary.body)!;
    // The fee goes up after the clerk read the summary (as an approved change to the program would publish it).
    await app.database.db
      .updateTable('programs')
      .set({ fee_cents: 9000 })
      .where('id', '=', program.id)
      .execute();
    const before = await counts(app);
    for (const confirmation of [seen, 'made-up']) {
      const response = await office.postForm('/issuing/issue', {
        office: 'credentials_office',
        requestIds: [request.id],
        confirmation,
      });
      assert.equal(response.statusCode, 409);
      const text = textOf(response.body);
      assert.match(text, /Nothing was issued: something changed since you looked/);
      assert.match(text, /\$90\.00/, 'the summary shows the fee as it now stands');
    }
    assert.deepEqual(await counts(app), before);
    assert.equal(await requestStatus(request.id), 'approved');

    // Confirming the summary as it now stands issues the badge, at the fee it showed.
    const issued = await issueThroughSummary(office, 'credentials_office', [request.id]);
    assert.equal(issued.statusCode, 303, textOf(issued.body).slice(0, 300));
    assert.equal(await requestStatus(request.id), 'issued');
    const charge = await app.database.db
      .selectFrom('fee_charges as f')
      .innerJoin('badge_requests as r', 'r.credential_id', 'f.credential_id')
      .select('f.amount_cents')
      .where('r.id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(charge.amount_cents, 9000);
  });

  test('committing a tracking list without its confirmation commits nothing and shows the confirmation page', async () => {
    const program = await aProgram(app, { creditType: 'non_credit', feeCents: 4000 });
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    for (const course of program.courses) await aCompletion(app, learner, course);
    const csv = [
      'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort',
      `${learner.studentId},${learner.email},A,B,${program.slug},2026-10-20,2026 Fall,,Cohort`,
    ].join('\n');
    const uploader = await (await aStaffMember(app, 'credentials_office')).signIn();
    const listId = listIdFrom(await uploadList(app, uploader, 'cohort.csv', csv));
    const commit = `/issuing/tracking-lists/${listId}/commit`;

    const bare = await office.postForm(commit, {});
    assert.equal(bare.statusCode, 428);
    assert.match(textOf(bare.body), /Nothing was issued: issuing needs your confirmation.*charges \$40\.00/);
    const forged = await office.postForm(commit, { confirmation: 'made-up' });
    assert.equal(forged.statusCode, 409);
    assert.equal(await listStatus(app, listId), 'preview');
    assert.equal(await jobsFor(app, listId), 0, 'no issuing job was queued');

    const committed = await commitThroughConfirmation(office, listId);
    assert.equal(committed.statusCode, 303);
    assert.equal(await listStatus(app, listId), 'queued');
  });
});
