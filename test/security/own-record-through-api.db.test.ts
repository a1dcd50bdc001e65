// Attacker's review, separation of duties: the records API speaks for the student system, and records staff may
// call it with their session. A member of staff who is also a learner could use it to vouch for themselves where
// the pages refuse them: rewrite their own record (which confirms a student ID they typed in), or write a record
// carrying their own address (any student ID they like), which the API then linked to their account, where a link
// made by hand to one's own account is refused. Another member of staff, or the student system's own client, still
// may.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import { aLearner, anAccount, anApiClient, aStaffMember, type Person } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody writes their own learner record through the records API on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app?.close());

  const put = async (browser: BrowserSession, studentId: string, email: string) =>
    app.http.inject({
      method: 'PUT',
      url: `/api/learners/${studentId}`,
      headers: { ...(await browser.apiHeaders()), 'content-type': 'application/json' },
      payload: { givenName: 'Quinn', familyName: 'Staff', email, status: 'current' },
    });
  const recordOf = (studentId: string) =>
    app.database.db
      .selectFrom('learners')
      .select(['user_id', 'identity_confirmed'])
      .where('student_id', '=', studentId)
      .executeTakeFirstOrThrow();
  const learnerStaff = async (): Promise<Person> => anAccount(app, { roles: ['learner', 'registrar'] });

  test('a registrar cannot confirm the student ID they typed into their own record by writing it', async () => {
    const staff = await learnerStaff();
    const record = await aLearner(app, { account: staff, identityConfirmed: false });

    const refused = await put(await staff.signIn(), record.studentId, staff.email);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /your own learner record/);
    assert.equal((await recordOf(record.studentId)).identity_confirmed, false);

    const colleague = await (await aStaffMember(app, 'registrar')).signIn();
    assert.equal((await put(colleague, record.studentId, staff.email)).statusCode, 200);
    assert.equal((await recordOf(record.studentId)).identity_confirmed, true);
  });

  test("a registrar cannot write a record with their own address; the student system's client can, and it is linked", async () => {
    const staff = await learnerStaff();
    const written = await put(await staff.signIn(), 'QSELF-001', staff.email);
    assert.equal(written.statusCode, 422);
    assert.match(written.body, /your own learner record/);
    const made = await app.database.db
      .selectFrom('learners')
      .select('id')
      .where('student_id', '=', 'QSELF-001')
      .execute();
    assert.equal(made.length, 0);

    // The same write from the student system's own client links the record to the address's account.
    const other = await learnerStaff();
    const client = await anApiClient(app, { scopes: ['learners:write'] });
    const token = await app.http.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.secret,
      }).toString(),
    });
    assert.equal(token.statusCode, 200);
    const bySystem = await app.http.inject({
      method: 'PUT',
      url: '/api/learners/QSELF-002',
      headers: { authorization: `Bearer ${token.json().access_token}`, 'content-type': 'application/json' },
      payload: { givenName: 'Robin', familyName: 'Staff', email: other.email, status: 'current' },
    });
    assert.equal(bySystem.statusCode, 201);
    assert.equal((await recordOf('QSELF-002')).user_id, other.id);
  });
});
