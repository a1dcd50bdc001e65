import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { anInstitution, aProgram, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { didWebFor } from './issuer-keys.ts';

// What the W3C CCG VC-API issuer suite (w3c-ccg/vc-api-issuer-test-suite, tests/10-issuer.js) asks of
// POST /credentials/issue, checked against a credential for one of our catalog programs: a request it must refuse
// answers 400 naming the field (never 500, never a signed credential). The suite names as issuer the id configured
// for the implementation under test (tests/mock.data.js, createRequestBody), which for Stackable is its own DID.

const PUBLIC_URL = 'https://badges.issue-suite.example';
type Problem = { errors: { field: string; reason: string }[] };

describe(`the VC-API issuer answers as the W3C VC-API issuer suite expects, on ${testBackend}`, () => {
  let app: TestApp;
  let office: BrowserSession;
  let slug: string;

  before(async () => {
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL } });
    await anInstitution(app, { name: 'Issue Suite College' });
    slug = (await aProgram(app, { creditType: 'non_credit' })).slug;
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
  });
  after(() => app.close());

  const issue = async (payload: object) =>
    app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      payload,
      headers: await office.apiHeaders(),
    });

  const requested = (): Record<string, unknown> => ({
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: didWebFor(PUBLIC_URL),
    name: 'Requested badge',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'emailAddress',
          hashed: false,
          identityHash: 'r@example.org',
        },
      ],
      achievement: { id: `${PUBLIC_URL}/catalog/${slug}`, type: ['Achievement'] },
    },
  });
  const signedCount = async () =>
    (await app.database.db.selectFrom('credentials').select('id').execute()).length;
  const without = (property: string) => {
    const credential = requested();
    delete credential[property];
    return credential;
  };

  test('a request with no credential (a verifiableCredential instead) answers 400', async () => {
    const response = await issue({ verifiableCredential: requested() });
    assert.equal(response.statusCode, 400, response.body);
    assert.ok((response.json() as Problem).errors.length > 0);
  });

  test('each credential the suite says must be refused answers 400 with the field, and nothing is signed', async () => {
    const before = await signedCount();
    const refused: [string, Record<string, unknown>, RegExp][] = [
      ['no @context', without('@context'), /@context/],
      ['@context a number', { ...requested(), '@context': 4 }, /@context/],
      [
        '@context items not strings',
        { ...requested(), '@context': [{ foo: true }, 4, false, null] },
        /@context/,
      ],
      ['no type', without('type'), /type/],
      ['type a number', { ...requested(), type: 4 }, /type/],
      ['type items not strings', { ...requested(), type: [2, null, { foo: true }, false] }, /type/],
      ['no issuer', without('issuer'), /^credential\.issuer$/],
      ['issuer a number', { ...requested(), issuer: 4 }, /issuer/],
      ['no credentialSubject', without('credentialSubject'), /credentialSubject/],
      [
        'credentialSubject a list of non-objects',
        { ...requested(), credentialSubject: [null, true, 4] },
        /credentialSubject/,
      ],
    ];
    for (const [what, credential, field] of refused) {
      const response = await issue({ credential });
      assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
      const fields = (response.json() as Problem).errors.map((error) => error.field);
      assert.ok(
        fields.some((name) => field.test(name)),
        `${what}: ${fields.join(', ')}`,
      );
    }
    assert.equal(await signedCount(), before, 'no credential was signed');
  });

  test('the VC 1.1 dates the suite sends along are refused by name: our VC 2.0 contexts do not define them', async () => {
    // A deviation by design: the suite lets a VC 1.1 credential carry issuanceDate and expirationDate, but Stackable
    // issues VC 2.0 credentials, whose contexts define validFrom/validUntil instead; an undefined term is refused.
    const dates: [string, string][] = [
      ['issuanceDate', '2026-03-01T09:00:00Z'],
      ['expirationDate', '2027-03-01T09:00:00Z'],
    ];
    for (const [property, value] of dates) {
      const response = await issue({ credential: { ...requested(), [property]: value } });
      assert.equal(response.statusCode, 400, response.body);
      const problem = (response.json() as Problem).errors[0];
      assert.equal(problem?.field, property);
      assert.match(problem?.reason ?? '', /not defined by any of the credential's JSON-LD contexts/);
    }
  });

  test('the credential the suite would accept in VC 2.0 terms is signed and verifies', async () => {
    const response = await issue({ credential: { ...requested(), validUntil: '2031-03-01T09:00:00Z' } });
    assert.equal(response.statusCode, 201, response.body);
    const signed = response.json().verifiableCredential as Record<string, unknown>;
    assert.equal(signed.validUntil, '2031-03-01T09:00:00Z');
    // The issuer was named by its id alone; the signed credential carries our full profile under it.
    assert.deepEqual(
      { id: (signed.issuer as { id: string }).id, type: (signed.issuer as { type: string[] }).type },
      { id: didWebFor(PUBLIC_URL), type: ['Profile'] },
    );
    const verified = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: signed, options: { checks: ['proof'] } },
    });
    assert.equal(verified.statusCode, 200, verified.body);
    assert.equal(verified.json().issuerTrust.level, 'ours');
  });

  test('an issuer other than ours is refused, as Stackable signs only as this institution; ours as an object is signed', async () => {
    const ours = await issue({ credential: { ...requested(), issuer: { id: didWebFor(PUBLIC_URL) } } });
    assert.equal(ours.statusCode, 201, ours.body);
    for (const issuer of [{ id: 'did:example:someone-else' }, 'did:example:someone-else']) {
      const response = await issue({ credential: { ...requested(), issuer } });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as Problem).errors[0]?.field, 'credential.issuer');
    }
  });
});
