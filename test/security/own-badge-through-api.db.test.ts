// Attacker's review, separation of duties: a member of the credentials office who is also a learner may issue
// through `POST /credentials/issue`, which signs a listed program's badge straight to whoever the request names.
// Naming themselves (their account's address, an address they proved, their learner record, or their address
// hashed inside a VC-API credential) would award them a badge nobody else decided on. Nobody issues to
// themselves; the same request for a colleague is issued, and an API client, which acts for no person, issues
// to anyone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashEmail } from '../../src/credentials/build-credential.ts';
import { didWebFor } from '../../src/credentials/issuer-keys.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { anAccessToken } from '../support/api-token.ts';
import { confirmPathIn, decodeQuotedPrintable, latestMailTo, startSmtp } from '../support/backpack.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import {
  aLearner,
  anAccount,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { plainEmailIdentifier, vcApiIssueBody } from '../support/vc-api-issue.ts';

const PUBLIC_URL = 'https://badges.own-issue.example';

describe(`nobody issues a badge to themselves through the issue API on ${testBackend}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let slug: string;
  let staff: Person;
  let browser: BrowserSession;
  let colleague: Person;
  let proven: string;
  let n = 0;

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      runJobs: false,
      env: { PUBLIC_URL },
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
    });
    await anInstitution(app);
    slug = (await aProgram(app, { creditType: 'non_credit' })).slug;
    staff = await anAccount(app, { roles: ['learner', 'credentials_office'] });
    colleague = await aStaffMember(app, 'registrar');
    browser = await staff.signIn();
    proven = `home.${++n}@own-issue.example`;
    await proveAddress(browser, proven);
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** Adds an address to the signed-in account and confirms it through the link mailed to it. */
  async function proveAddress(session: BrowserSession, address: string) {
    assert.equal((await session.postForm('/account/emails', { email: address })).statusCode, 303);
    const mail = await latestMailTo(app, address);
    await app.services.notifications.deliver(mail.id);
    const received = smtp.received.filter((m) => m.to.includes(address)).at(-1);
    assert.ok(received, `mail reached ${address}`);
    const path = confirmPathIn(decodeQuotedPrintable(received.raw));
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    assert.equal((await session.postForm('/account/emails/confirm', { token })).statusCode, 303);
  }

  const written = async () => {
    const credentials = await app.database.db
      .selectFrom('credentials')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const allocated = await app.database.db
      .selectFrom('status_lists')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('allocated'), eb.lit(0)).as('n'))
      .executeTakeFirstOrThrow();
    return { credentials: Number(credentials.n), allocated: Number(allocated.n) };
  };

  const issueWithSession = async (payload: object) =>
    app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: { ...(await browser.apiHeaders()), 'content-type': 'application/json' },
      payload,
    });

  /** A VC-API request for the program, whose subject is named by these identifiers. */
  const vcApiRequest = (identifier: object[]) =>
    vcApiIssueBody({
      issuer: didWebFor(PUBLIC_URL),
      name: 'A badge',
      identifier,
      achievement: { id: `${PUBLIC_URL}/catalog/${slug}`, name: 'A badge' },
    });

  /** The answer is a refusal in the problem format naming `field`, and nothing was signed, kept or allocated. */
  async function assertRefused(
    send: () => Promise<{ statusCode: number; body: string; headers: object }>,
    field: string,
  ) {
    const before = await written();
    const response = await send();
    assert.equal(response.statusCode, 403, response.body);
    assert.match(
      String((response.headers as Record<string, unknown>)['content-type']),
      /application\/problem\+json/,
    );
    const problem = JSON.parse(response.body) as {
      code: string;
      title: string;
      errors?: { field: string }[];
    };
    assert.equal(problem.code, 'FORBIDDEN');
    assert.match(problem.title, /awarded to you: another member of staff must issue it/);
    assert.deepEqual(
      problem.errors?.map((e) => e.field),
      [field],
    );
    assert.deepEqual(await written(), before, 'nothing signed, stored or allocated');
  }

  test('a program badge to their own address, a proven one or their learner record is refused; a colleague’s is issued', async () => {
    await assertRefused(
      () => issueWithSession({ program: slug, recipient: { email: staff.email } }),
      'recipient.email',
    );
    await assertRefused(
      () => issueWithSession({ program: slug, recipient: { email: ` ${proven.toUpperCase()} ` } }),
      'recipient.email',
    );
    // A learner record linked to them under an address the account never proved is theirs all the same.
    const record = await aLearner(app, { account: staff, email: `record.${++n}@own-issue.example` });
    await assertRefused(
      () => issueWithSession({ program: slug, recipient: { email: record.email } }),
      'recipient.email',
    );
    // A learner record's id is no part of the API: sent along anyway, it neither refuses nor links anything.
    const withRecord = await issueWithSession({
      program: slug,
      recipient: { email: colleague.email, learnerId: record.id },
    });
    assert.equal(withRecord.statusCode, 201, withRecord.body);
    const linked = await app.database.db
      .selectFrom('credentials')
      .select('learner_id')
      .where('learner_id', '=', record.id)
      .execute();
    assert.deepEqual(linked, [], 'nothing issued to the record named by the extra property');

    const issued = await issueWithSession({ program: slug, recipient: { email: colleague.email } });
    assert.equal(issued.statusCode, 201, issued.body);
  });

  test('a VC-API credential naming them, in plain or hashed, is refused; one naming a colleague is issued', async () => {
    await assertRefused(
      () => issueWithSession(vcApiRequest([plainEmailIdentifier(staff.email)])),
      'credential.credentialSubject.identifier',
    );
    const salt = 'f00dfeed';
    const hashed = {
      type: 'IdentityObject',
      identityType: 'emailAddress',
      hashed: true,
      identityHash: hashEmail(proven, salt),
      salt,
    };
    await assertRefused(
      () => issueWithSession(vcApiRequest([plainEmailIdentifier(colleague.email), hashed])),
      'credential.credentialSubject.identifier',
    );

    const issued = await issueWithSession(vcApiRequest([plainEmailIdentifier(colleague.email)]));
    assert.equal(issued.statusCode, 201, issued.body);
  });

  test('an API client acts for no person: its token issues to a member of staff’s address', async () => {
    const { token } = await anAccessToken(app, ['credentials:issue']);
    const issued = await app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { program: slug, recipient: { email: staff.email } },
    });
    assert.equal(issued.statusCode, 201, issued.body);
  });
});
