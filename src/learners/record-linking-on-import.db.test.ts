import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anAccessToken } from '../../test/support/api-token.ts';
import { aCourse, aLearner, anAccount } from '../../test/support/builders.ts';
import {
  aNewAddress,
  mailReceivedBy,
  openVerificationLink,
  signUp,
  startSignUpApp,
  verificationPathIn,
} from '../../test/support/sign-up.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

let sequence = 0;
const aStudentId = () => {
  sequence += 1;
  return `L${String(sequence).padStart(7, '0')}`;
};

describe(`learner records from the student system meet accounts on ${testBackend}`, () => {
  let env: Awaited<ReturnType<typeof startSignUpApp>>;
  let app: TestApp;
  let writer: string;
  let importer: string;

  const put = (studentId: string, email: string) =>
    app.http.inject({
      method: 'PUT',
      url: `/api/learners/${studentId}`,
      payload: { givenName: 'Aurelio', familyName: 'Benavides', email, status: 'current' },
      headers: { authorization: `Bearer ${writer}` },
    });
  const importRow = (studentId: string, course: string) =>
    app.http.inject({
      method: 'POST',
      url: '/api/imports/completions?fileName=nightly.csv',
      payload: `student_id,course_code,term,grade,credits\n${studentId},${course},2025 Fall,A,3\n`,
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${importer}` },
    });
  const row = (studentId: string) =>
    app.database.db
      .selectFrom('learners')
      .select(['id', 'user_id'])
      .where('student_id', '=', studentId)
      .executeTakeFirstOrThrow();
  const auditOf = async (action: string, learnerId: string) =>
    (await app.services.audit.list({ action, entityId: learnerId, limit: 20, offset: 0 })).map(
      (e) => e.after,
    );

  before(async () => {
    env = await startSignUpApp();
    app = env.app;
    writer = (await anAccessToken(app, ['learners:write'])).token;
    importer = (await anAccessToken(app, ['completions:write'])).token;
  });
  after(() => env.close());

  test('account first: a record the API sends with a verified account’s e-mail becomes that account’s', async () => {
    const account = await anAccount(app, { email: aNewAddress('verified') });
    const studentId = aStudentId();
    const sent = await put(studentId, account.email.toUpperCase());
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().learner.hasAccount, true);
    const record = await row(studentId);
    assert.equal(record.user_id, account.id);
    assert.match(JSON.stringify(await auditOf('learner.linked', record.id)), /record with a verified e-mail/);
  });

  test('record first: an unverified account is not linked, and gets the record once its owner proves the address', async () => {
    const email = aNewAddress('pending');
    const { browser } = await signUp(app, { email, name: 'Aurelio Benavides' });
    const studentId = aStudentId();
    const sent = await put(studentId, email);
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().learner.hasAccount, false, 'an address nobody proved opens no record');
    assert.equal((await row(studentId)).user_id, null);

    const link = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
    assert.equal((await openVerificationLink(browser, link)).response.statusCode, 303);
    const user = await app.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal((await row(studentId)).user_id, user.id);
  });

  test('an account that already has a record is never given a second one; the refusal is audited', async () => {
    const holder = await aLearner(app, { email: aNewAddress('holder') });
    // The student system moves the holder's record to a new address; the account keeps the record.
    const moved = await put(holder.studentId, aNewAddress('moved'));
    assert.equal(moved.json().learner.hasAccount, true);
    const second = aStudentId();
    const sent = await put(second, holder.email);
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().learner.hasAccount, false);
    const record = await row(second);
    assert.equal(record.user_id, null);
    assert.match(
      JSON.stringify(await auditOf('learner.link_refused', record.id)),
      /account_has_another_record/,
    );
  });

  test('the completions import links a record it takes a row for to the verified account with its e-mail', async () => {
    const course = await aCourse(app);
    const email = aNewAddress('imported');
    const record = await aLearner(app, { email, account: false });
    const account = await anAccount(app, { email });
    assert.equal((await row(record.studentId)).user_id, null, 'the account was made without proving anew');

    const refusedRow = await importRow(record.studentId, 'NOPE 999');
    assert.equal(refusedRow.json().counts.rejected, 1);
    assert.equal((await row(record.studentId)).user_id, null, 'a rejected row vouches for nothing');

    const taken = await importRow(record.studentId, course.code);
    assert.equal(taken.statusCode, 201, taken.body);
    assert.equal(taken.json().counts.accepted, 1);
    assert.equal((await row(record.studentId)).user_id, account.id);
  });

  test('the completions import never links a record to an account whose address is not proven', async () => {
    const course = await aCourse(app);
    const email = aNewAddress('unproven');
    const record = await aLearner(app, { email, account: false });
    await signUp(app, { email, name: 'Unproven Person' });
    const taken = await importRow(record.studentId, course.code);
    assert.equal(taken.json().counts.accepted, 1, taken.body);
    assert.equal((await row(record.studentId)).user_id, null);
  });
});
