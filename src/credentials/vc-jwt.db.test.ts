import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { anInstitution, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { readProfile } from '../institution/institution-profile.ts';
import { AppError } from '../platform/errors.ts';
import { validateOpenBadgeCredential } from './validate-credential.ts';

const PUBLIC_URL = 'https://badges.vcjwt.example';
const WEB_DID = 'did:web:badges.vcjwt.example';
const system = { system: 'vc-jwt test' };

describe(`VC-JWT issuing by the institution's choice (did:web) on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;
  let office: BrowserSession;
  let slug: string;

  before(async () => {
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL } });
    await anInstitution(app, { name: 'Vale Technical College' });
    slug = (await aProgram(app, { title: 'Network Security' })).slug;
    admin = await aStaffMember(app, 'admin');
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
  });
  after(() => app.close());

  const choose = async (vcJwt: string) => {
    const { values } = await app.services.institution.profile(admin);
    await app.services.institution.updateProfile(admin, { ...values, vcJwt });
  };
  const issue = (format: 'json' | 'jwt' = 'jwt') =>
    app.services.credentials.issueCredential(system, {
      slug,
      learner: { email: 'rowan.lee@example.org', name: 'Rowan Lee' },
      format,
    });
  const countCredentials = async () =>
    (await app.database.db.selectFrom('credentials').select('id').execute()).length;

  for (const algorithm of ['EdDSA', 'ES256', 'RS256'] as const) {
    test(`with ${algorithm} chosen, the JWT is VC-JOSE-COSE, verifies and follows the OB 3.0 schema`, async () => {
      await choose(algorithm);
      const issued = await issue();
      assert.ok(issued.jwt);
      const header = decodeProtectedHeader(issued.jwt);
      assert.equal(header.alg, algorithm);
      assert.equal(header.typ, 'vc+jwt');
      assert.equal(header.cty, 'vc');
      assert.match(String(header.kid), new RegExp(`^${WEB_DID}#`));

      // The kid resolves to a verification method of the published DID document.
      const didDocument = (await app.http.inject({ url: '/.well-known/did.json' })).json();
      const method = didDocument.verificationMethod.find((m: { id: string }) => m.id === header.kid);
      assert.ok(method, `${header.kid} is published`);
      assert.ok(didDocument.assertionMethod.includes(header.kid));
      assert.equal(method.type, algorithm === 'EdDSA' ? 'Multikey' : 'JsonWebKey');
      if (algorithm !== 'EdDSA') assert.equal('d' in method.publicKeyJwk, false, 'no private part published');

      const payload = decodeJwt(issued.jwt);
      assert.equal('vc' in payload, false);
      assert.equal(payload.iss, WEB_DID);
      assert.equal(payload.jti, issued.credential.id);
      // The learner is known only by a hashed e-mail: no subject id, so no sub (see jwtClaimsFor).
      assert.equal('sub' in payload, false);
      const verdict = validateOpenBadgeCredential(payload);
      // Another change (credential status) moves to one credentialStatus object, as OB 3.0 allows; until it lands,
      // the only schema problem our JWTs may show is that multiplicity.
      const otherProblems = verdict.problems.filter((problem) => problem.field !== 'credentialStatus');
      assert.deepEqual(otherProblems, [], JSON.stringify(verdict.problems));

      const checked = await app.services.verification.verifyText(issued.jwt);
      assert.equal(checked.verified, true, JSON.stringify(checked.checks));
      assert.match(checked.checks.find((c) => c.id === 'proof')!.message, new RegExp(algorithm));
    });
  }

  test('the issue API answers a JWT request with an EnvelopedVerifiableCredential', async () => {
    await choose('RS256');
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      payload: { program: slug, recipient: { email: 'ana@example.org' }, format: 'jwt' },
      headers: await office.apiHeaders(),
    });
    assert.equal(response.statusCode, 201, response.body);
    const { verifiableCredential } = response.json();
    assert.equal(verifiableCredential.type, 'EnvelopedVerifiableCredential');
    assert.deepEqual(verifiableCredential['@context'], ['https://www.w3.org/ns/credentials/v2']);
    assert.match(verifiableCredential.id, /^data:application\/vc\+jwt,ey/);
    const checked = await app.services.verification.verifyObject(verifiableCredential);
    assert.equal(checked.verified, true, JSON.stringify(checked.checks));
  });

  test('rotating retires the ES256 key; its JWTs keep verifying and the next one uses a new key', async () => {
    await choose('ES256');
    const before = await issue();
    await app.services.credentials.rotateKey(system);
    const afterRotation = await issue();
    const oldKid = decodeProtectedHeader(before.jwt!).kid;
    const newKid = decodeProtectedHeader(afterRotation.jwt!).kid;
    assert.notEqual(oldKid, newKid);
    const keys = await app.services.credentials.signingKeys();
    const es256 = keys.filter((key) => key.algorithm === 'ES256');
    assert.equal(es256.filter((key) => key.retiredAt === null).length, 1);
    assert.ok(es256.some((key) => `${WEB_DID}#${key.keyId}` === oldKid && key.retiredAt !== null));
    assert.equal((await app.services.verification.verifyText(before.jwt!)).verified, true);
    assert.equal((await app.services.verification.verifyText(afterRotation.jwt!)).verified, true);
  });

  test('with VC-JWTs off, a JSON-LD badge has no JWT copy and a JWT request is refused before any write', async () => {
    await choose('off');
    const json = await issue('json');
    assert.equal(json.jwt, null);
    assert.equal((await app.http.inject({ url: `/credentials/${json.id}.jwt` })).statusCode, 404);
    // Its verification page offers the downloads it has, and no VC-JWT link that would answer 404.
    const page = await app.http.inject({ url: `/verify?credential=${json.id}` });
    assert.match(page.body, new RegExp(`href="/credentials/${json.id}"`));
    assert.doesNotMatch(page.body, /\.jwt"/);
    const count = await countCredentials();
    await assert.rejects(issue('jwt'), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.fields.map((field) => field.field),
        ['format'],
      );
      return true;
    });
    assert.equal(await countCredentials(), count);
  });

  test('an API caller that leaves the choice out keeps the stored one', async () => {
    await choose('ES256');
    const { values } = await app.services.institution.profile(admin);
    const { vcJwt: _left, ...rest } = values;
    const saved = await app.services.institution.updateProfile(admin, rest);
    assert.equal(saved.values.vcJwt, 'ES256');
  });
});

test('under did:key only EdDSA VC-JWTs can be chosen (a did:key names one Ed25519 key)', () => {
  const given = {
    name: 'Vale Technical College',
    shortName: 'VTC',
    url: 'https://vale.example',
    email: 'badges@vale.example',
    timeZone: 'Europe/Paris',
    primaryColour: '#0b4f6c',
    accentColour: '#e0a526',
    defaultFee: '10',
    currency: 'EUR',
    academicYearStartMonth: '9',
    periodicReviewYears: '5',
  };
  const underKey = { vcJwtAlgorithms: ['EdDSA'] };
  const refused = readProfile({ ...given, vcJwt: 'RS256' }, underKey);
  assert.equal(refused.ok, false);
  assert.deepEqual(!refused.ok && refused.problems.map((problem) => problem.field), ['vcJwt']);
  assert.equal(readProfile({ ...given, vcJwt: 'EdDSA' }, underKey).ok, true);
  assert.equal(readProfile({ ...given, vcJwt: 'off' }, underKey).ok, true);
  assert.equal(readProfile({ ...given, vcJwt: 'HS256' }, { vcJwtAlgorithms: ['RS256'] }).ok, false);
});
