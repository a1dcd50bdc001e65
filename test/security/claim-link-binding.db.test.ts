/**
 * Audit point 4: a claim link claims only into the account of the person it was sent to. Someone else who is
 * signed in when they open it is told to sign out; nothing moves and the link keeps working for its owner.
 * Staff see on the badge's record who claimed it and when.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/platform/clock.ts';
import { newId } from '../../src/platform/ids.ts';
import { claimPathIn, latestMailTo } from '../support/backpack.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { textOf } from '../support/issuing.ts';
import { newPerson } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const PROGRAM = 'persuasive-communication';

describe(`claim links belong to their recipient on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
  });
  after(() => app.close());

  /**
   * A learner record for a new account and a badge awarded to it by the credentials office, written the way the
   * award issuer writes one (credential, award row, backpack item and claim mail in one transaction).
   */
  const awardBadgeTo = async (person: { id: string; email: string }, name: string, studentId: string) =>
    app.database.db.transaction().execute(async (trx) => {
      const learnerId = newId();
      await trx
        .insertInto('learners')
        .values({
          id: learnerId,
          user_id: null,
          email: person.email,
          name,
          student_id: studentId,
          status: 'current',
        })
        .execute();
      const program = await trx
        .selectFrom('programs')
        .select(['id', 'title'])
        .where('slug', '=', PROGRAM)
        .executeTakeFirstOrThrow();
      const issued = await app.services.credentials.issueCredential(
        { system: 'claim binding test' },
        { programId: program.id, learner: { email: person.email, name, learnerId } },
        trx,
      );
      const requestId = newId();
      await trx
        .insertInto('badge_requests')
        .values({
          id: requestId,
          learner_id: learnerId,
          program_id: program.id,
          status: 'issued',
          evaluation: JSON.stringify({ met: true }),
          credential_id: issued.id,
          issued_at: new Date(),
        })
        .execute();
      await trx
        .insertInto('issued_awards')
        .values({
          id: newId(),
          learner_id: learnerId,
          program_id: program.id,
          credential_id: issued.id,
          office: 'credentials_office',
          credit_mode: 'non_credit',
          source: 'badge_request',
          badge_request_id: requestId,
          tracking_list_row_id: null,
          term: null,
          completion_date: null,
          credits: 0,
          issued_by: null,
        })
        .execute();
      await app.services.backpack.onCredentialIssued(trx, {
        credentialId: issued.id,
        learnerEmail: person.email,
        learnerName: name,
        programTitle: program.title,
      });
      return issued.id;
    });

  const itemOf = (credentialId: string) =>
    app.database.db
      .selectFrom('backpack_items')
      .select(['claimed_at', 'claimed_by_user_id'])
      .where('credential_id', '=', credentialId)
      .executeTakeFirstOrThrow();

  test('another signed-in person is told to sign out, claims nothing, and the recipient still can', async () => {
    const recipient = await newPerson(app, 'Solveig Marchetti');
    const other = await newPerson(app, 'Caspian Thorne');
    const credentialId = await awardBadgeTo(recipient, 'Solveig Marchetti', 'C70000401');
    const path = claimPathIn((await latestMailTo(app, recipient.email)).text_body);
    const token = new URL(path, 'http://localhost').searchParams.get('token')!;

    const opened = await other.browser.get(path);
    assert.equal(opened.statusCode, 403);
    const text = textOf(opened.body);
    assert.match(text, /This badge was sent to s…@/);
    assert.ok(text.includes(`you are signed in as ${other.email}`), text);
    assert.doesNotMatch(opened.body, new RegExp(recipient.email.replaceAll('.', '\\.')));
    assert.match(opened.body, /action="\/logout"/);
    assert.doesNotMatch(opened.body, /Add it to my backpack/);

    const posted = await other.browser.postForm('/claim', { token });
    assert.equal(posted.statusCode, 403);
    assert.deepEqual(await itemOf(credentialId), { claimed_at: null, claimed_by_user_id: null });
    const spent = await app.database.db
      .selectFrom('claim_tokens')
      .select('used_at')
      .where('credential_id', '=', credentialId)
      .executeTakeFirstOrThrow();
    assert.equal(spent.used_at, null, 'the link is not spent');
    assert.doesNotMatch((await other.browser.get('/backpack')).body, new RegExp(credentialId));
    const refusals = await app.services.audit.list({
      action: 'backpack.claim_refused',
      limit: 20,
      offset: 0,
    });
    assert.ok(refusals.some((e) => e.entity_id === credentialId && e.actor_id === other.id));
    const learner = await app.database.db
      .selectFrom('learners')
      .select('user_id')
      .where('student_id', '=', 'C70000401')
      .executeTakeFirstOrThrow();
    assert.equal(learner.user_id, null, "the recipient's learner record is not linked to the other account");

    // Signing out from that page brings the link back for whoever signs in next.
    const signedOut = await other.browser.postForm('/logout', { next: path });
    assert.equal(signedOut.statusCode, 303);
    assert.equal(signedOut.headers.location, path);

    const claimed = await recipient.browser.get(path);
    assert.equal(claimed.statusCode, 303);
    assert.equal(claimed.headers.location, `/backpack?claimed=${credentialId}`);
    const item = await itemOf(credentialId);
    assert.equal(item.claimed_by_user_id, recipient.id);
    assert.ok(item.claimed_at);
  });

  test('a new account for the address the badge went to still claims it', async () => {
    const email = `ottilie.brandt.${newId().slice(0, 6)}@mail.example`;
    const credentialId = await awardBadgeTo({ id: '', email }, 'Ottilie Brandt', 'C70000402');
    const path = claimPathIn((await latestMailTo(app, email)).text_body);
    const token = new URL(path, 'http://localhost').searchParams.get('token')!;
    const browser = new BrowserSession(app);
    const page = await browser.get(path);
    assert.equal(page.statusCode, 200);
    const made = await browser.postForm('/claim/account', {
      token,
      name: 'Ottilie Brandt',
      password: 'a long and unusual passphrase 42',
      confirm: 'a long and unusual passphrase 42',
    });
    assert.equal(made.statusCode, 303);
    assert.ok((await itemOf(credentialId)).claimed_at);
  });

  test("staff see who claimed a badge and when, on the badge's record", async () => {
    const recipient = await newPerson(app, 'Leontyne Abara');
    const credentialId = await awardBadgeTo(recipient, 'Leontyne Abara', 'C70000403');
    const path = claimPathIn((await latestMailTo(app, recipient.email)).text_body);
    assert.equal((await recipient.browser.get(path)).statusCode, 303);

    const office = await newPerson(app, 'Fenwick Osei', ['credentials_office']);
    const record = textOf((await office.browser.get(`/issuing/badges/${credentialId}`)).body);
    assert.match(record, /Claimed November 25, 2026, 15:00/);
    assert.ok(record.includes(`by Leontyne Abara (${recipient.email})`), record);
  });
});
