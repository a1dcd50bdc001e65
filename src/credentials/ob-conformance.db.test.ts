// Open Badges 3.0 conformance of everything Stackable issues: each form is checked against the official 1EdTech
// JSON Schema exactly as published (its own Ajv, not our validator) and verified by the DCC's verifier-core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { verifyCredential } from '@digitalcredentials/verifier-core';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
} from '../../test/support/builders.ts';
import { commitThroughConfirmation, listIdFrom, textOf, uploadList } from '../../test/support/issuing.ts';
import { setSuspension } from '../../test/support/suspension.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { extractFromPng } from './bake-png.ts';
import { extractFromSvg } from './bake-svg.ts';
import { ACHIEVEMENT_CREDENTIAL_SCHEMA } from './build-credential.ts';
import type { SignedOpenBadgeCredential } from './credential-types.ts';
import { didWebFor } from './issuer-keys.ts';
import { signedTheOldWay } from './test-fixtures.ts';

const PUBLIC_URL = 'https://badges.conformance.example';
const system = { system: 'conformance test' };
const schemaText = readFileSync(
  new URL(
    '../../standards/schemas/ob_v3p0_achievementcredential_schema.jsonld-2019-09.json',
    import.meta.url,
  ),
  'utf8',
);
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);
const officialSchema = (() => {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(schemaText) as object);
})();

/** The schema's own errors, so a failure names the field. */
function schemaErrors(credential: unknown): string[] {
  if (officialSchema(credential)) return [];
  return (officialSchema.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

type CoreCredential = Parameters<typeof verifyCredential>[0]['credential'];

describe(`Open Badges 3.0 conformance on ${testBackend}`, () => {
  let app: TestApp;
  let office: BrowserSession;
  let slug: string;
  let program: Awaited<ReturnType<typeof aProgram>>;
  const realFetch = globalThis.fetch;

  before(async () => {
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL } });
    await anInstitution(app, { name: 'Conformance College' });
    program = await aProgram(app, { creditType: 'non_credit' });
    slug = program.slug;
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
    // verifier-core fetches the schema, our DID document and our status lists; they come from the app itself.
    globalThis.fetch = async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === ACHIEVEMENT_CREDENTIAL_SCHEMA) return new Response(schemaText, { status: 200 });
      if (!url.startsWith(`${PUBLIC_URL}/`)) return new Response('not found', { status: 404 });
      const response = await app.http.inject({ url: url.slice(PUBLIC_URL.length) });
      return new Response(new Uint8Array(response.rawPayload), {
        status: response.statusCode,
        headers: { 'content-type': 'application/json' },
      });
    };
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await app.close();
  });

  /** verifier-core's log by step; it must report no error and its own schema check must pass. */
  async function coreLog(credential: object): Promise<Map<string, boolean | undefined>> {
    const result = (await verifyCredential({
      credential: credential as CoreCredential,
      knownDIDRegistries: [],
    })) as {
      log?: { id: string; valid?: boolean }[];
      errors?: unknown[];
      additionalInformation?: { results?: { result: { valid: boolean } }[] | string }[];
    };
    assert.equal(result.errors, undefined, `verifier-core reported: ${JSON.stringify(result.errors)}`);
    const schemaResults = result.additionalInformation?.find((entry) =>
      Array.isArray(entry.results),
    )?.results;
    assert.ok(Array.isArray(schemaResults) && schemaResults.length > 0, 'verifier-core ran its schema check');
    for (const { result: schemaResult } of schemaResults) assert.equal(schemaResult.valid, true);
    return new Map((result.log ?? []).map((entry) => [entry.id, entry.valid]));
  }

  const postJson = async (url: string, payload: object) =>
    app.http.inject({ method: 'POST', url, payload, headers: await office.apiHeaders() });

  const requested = (extra: Record<string, unknown> = {}) => ({
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
          identityHash: 'a@example.org',
        },
      ],
      achievement: { id: `${PUBLIC_URL}/catalog/${slug}`, type: ['Achievement'] },
    },
    ...extra,
  });

  async function stored(credentialId: string): Promise<SignedOpenBadgeCredential> {
    const row = await app.services.credentials.find(credentialId);
    assert.ok(row, `credential ${credentialId} is stored`);
    return row.json as SignedOpenBadgeCredential;
  }

  async function trackingListCredential(): Promise<SignedOpenBadgeCredential> {
    const learner = await aLearner(app, { account: false });
    await anEnrolment(app, learner, program);
    for (const course of program.courses) await aCompletion(app, learner, course);
    const completed = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const [first, ...rest] = learner.name.split(' ');
    const csv = [
      'student_id,email,first_name,last_name,program,completion_date,term,fee_waived,notes',
      `${learner.studentId},${learner.email},${first},${rest.join(' ')},${slug},${completed},${completed.slice(0, 4)} Fall,no,`,
    ].join('\n');
    const uploader = await (await aStaffMember(app, 'admin')).signIn();
    const listId = listIdFrom(await uploadList(app, uploader, 'conformance.csv', csv));
    const committed = await commitThroughConfirmation(office, listId);
    assert.equal(committed.statusCode, 303, textOf(committed.body));
    await app.services.trackingLists.processList(listId);
    const award = await app.database.db
      .selectFrom('issued_awards')
      .select('credential_id')
      .where('learner_id', '=', learner.id)
      .executeTakeFirstOrThrow();
    return stored(award.credential_id);
  }

  test('every form we issue passes the unmodified OB 3.0 schema and verifies with verifier-core', async () => {
    const award = await anIssuedBadge(app);
    const awarded = await stored(award.credentialId);
    const viaApi = await postJson('/credentials/issue', { credential: requested() });
    assert.equal(viaApi.statusCode, 201, viaApi.body);
    const tracked = await trackingListCredential();
    const png = await app.http.inject({ url: `/credentials/${award.credentialId}/baked.png` });
    const svg = await app.http.inject({ url: `/credentials/${award.credentialId}/baked.svg` });
    const forms: Record<string, unknown> = {
      'award path': awarded,
      'POST /credentials/issue': viaApi.json().verifiableCredential,
      'tracking list': tracked,
      'baked PNG': JSON.parse(extractFromPng(new Uint8Array(png.rawPayload)) ?? 'null'),
      'baked SVG': JSON.parse(extractFromSvg(svg.body) ?? 'null'),
    };
    for (const [form, credential] of Object.entries(forms)) {
      assert.deepEqual(schemaErrors(credential), [], `${form} passes the official schema`);
      const status = (credential as { credentialStatus?: unknown }).credentialStatus;
      assert.ok(status && !Array.isArray(status), `${form} has one credentialStatus object`);
      const log = await coreLog(credential as object);
      assert.equal(log.get('valid_signature'), true, `${form}: signature`);
      assert.equal(log.get('revocation_status'), true, `${form}: not revoked`);
      assert.equal(log.get('expiration'), true, `${form}: not expired`);
    }
  });

  test('the status list carries a ttl and still verifies with verifier-core once the badge is revoked', async () => {
    const issued = await app.services.credentials.issueCredential(system, {
      slug,
      learner: { email: 'revoked@example.org' },
    });
    const entry = issued.credential.credentialStatus;
    assert.ok(entry);
    const list = (await app.http.inject({ url: new URL(entry.statusListCredential).pathname })).json();
    assert.equal(list.credentialSubject.ttl, 300_000);
    await app.services.credentials.changeStatus(system, issued.id, 'revoke', 'Conformance check');
    assert.equal((await coreLog(issued.credential)).get('revocation_status'), false);
  });

  test('validUntil earlier than validFrom is refused with the field and reason; nothing is issued', async () => {
    const response = await postJson('/credentials/issue', {
      credential: requested({ validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' }),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(response.json().errors, [
      { field: 'credential.validUntil', reason: 'must be later than validFrom' },
    ]);
  });

  test('a credential that would already be expired is refused', async () => {
    const response = await postJson('/credentials/issue', {
      credential: requested({ validUntil: '2001-01-01T00:00:00Z' }),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(response.json().errors, [
      {
        field: 'credential.validUntil',
        reason: 'is already past: the credential would be expired when issued',
      },
    ]);
  });

  test('a validity date that is not a date and time is refused with its field', async () => {
    const response = await postJson('/credentials/issue', {
      credential: requested({ validUntil: 'next Tuesday' }),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().errors[0]?.field, 'credential.validUntil');
  });

  test('the setting is off by default, and the API refuses a value that is not true or false', async () => {
    assert.equal((await app.services.institution.get()).allow_suspension, false);
    const admin = await (await aStaffMember(app, 'admin')).signIn();
    const read = (await admin.get('/api/institution', { accept: 'application/json' })).json();
    assert.equal(read.allowSuspension, 'false');
    const { isSetUp: _i, logoUrl: _l, ...values } = read;
    const refused = await app.http.inject({
      method: 'PUT',
      url: '/api/institution',
      payload: { ...values, allowSuspension: 'sometimes' },
      headers: { ...(await admin.apiHeaders()), accept: 'application/json' },
    });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.deepEqual(refused.json().errors, [{ field: 'allowSuspension', reason: 'must be true or false' }]);
    const page = await admin.get('/admin/institution');
    assert.match(page.body, /Suspending badges/);
    assert.match(page.body, /other verifiers do not/);
  });

  // A badge issued before OB 3.0's one-entry rule was kept: two Bitstring entries, revocation and suspension.
  test('a badge issued the old way, with two status entries, still verifies and shows suspended and revoked', async () => {
    const fresh = await app.services.credentials.issueCredential(system, {
      slug,
      learner: { email: 'legacy@example.org' },
    });
    const oldWay = await signedTheOldWayAndStored(app, fresh.id, fresh.credential);
    const verify = async () => {
      const response = await app.http.inject({
        method: 'POST',
        url: '/credentials/verify',
        payload: { verifiableCredential: oldWay },
      });
      return response.json() as {
        verified: boolean;
        details: { id: string; status: string; message: string }[];
      };
    };
    const live = await verify();
    assert.equal(live.verified, true, JSON.stringify(live.details));
    assert.equal(live.details.find((d) => d.id === 'schema')?.status, 'warning');
    assert.match(live.details.find((d) => d.id === 'status')?.message ?? '', /not revoked and not suspended/);

    await setSuspension(app, true);
    try {
      await app.services.credentials.changeStatus(system, fresh.id, 'suspend', 'Inquiry');
      const suspended = await verify();
      assert.equal(suspended.verified, false);
      assert.match(suspended.details.find((d) => d.id === 'status')?.message ?? '', /suspended/);
      await app.services.credentials.changeStatus(system, fresh.id, 'reinstate', 'Closed');
      assert.equal((await verify()).verified, true);
    } finally {
      await setSuspension(app, false);
    }
    await app.services.credentials.changeStatus(system, fresh.id, 'revoke', 'Issued in error');
    const revoked = await verify();
    assert.equal(revoked.verified, false);
    assert.match(revoked.details.find((d) => d.id === 'status')?.message ?? '', /revoked/);
  });
});

/** Re-signs a stored badge the old way (two entries), recording its suspension slot on its row as before 0024. */
async function signedTheOldWayAndStored(
  app: TestApp,
  id: string,
  credential: SignedOpenBadgeCredential,
): Promise<SignedOpenBadgeCredential> {
  const { proof: _proof, ...unsigned } = credential;
  const slot = await app.database.db
    .transaction()
    .execute((trx) => app.services.credentials.statusLists.allocate(trx, unsigned.issuer.id, 'suspension'));
  await app.database.db
    .updateTable('credentials')
    .set({ suspension_list_id: slot.listId, suspension_index: slot.index })
    .where('id', '=', id)
    .execute();
  const key = await app.services.credentials.identity.signingKeyForDid(unsigned.issuer.id);
  assert.ok(key);
  return signedTheOldWay(unsigned, slot, key);
}
