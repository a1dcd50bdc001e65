import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { verifyCredential } from '@digitalcredentials/verifier-core';
import { sql } from 'kysely';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anInstitution, aProgram, aStaffMember } from '../../test/support/builders.ts';
import { setSuspension } from '../../test/support/suspension.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { extractFromPng } from './bake-png.ts';
import { extractFromSvg } from './bake-svg.ts';
import { ACHIEVEMENT_CREDENTIAL_SCHEMA } from './build-credential.ts';
import type { SignedOpenBadgeCredential } from './credential-types.ts';
import { didDocumentPaths } from './credentials.routes.ts';
import { didWebDocumentUrl, didWebFor } from './issuer-keys.ts';
import { decodeList, getBit } from './status-list.ts';

const PUBLIC_URL = 'https://badges.cascaderidge.example';
const WEB_DID = 'did:web:badges.cascaderidge.example';
const INSTITUTION = { name: 'Lakeshore Polytechnic', url: 'https://www.lakeshore.example' };
const system = { system: 'credentials test' };

const schemaText = readFileSync(
  new URL(
    '../../standards/schemas/ob_v3p0_achievementcredential_schema.jsonld-2019-09.json',
    import.meta.url,
  ),
  'utf8',
);
type CoreCredential = Parameters<typeof verifyCredential>[0]['credential'];

test('the DID document is served at the did:web location for a bare host and for a path', () => {
  assert.deepEqual(didDocumentPaths('https://badges.example.edu'), ['/.well-known/did.json']);
  assert.deepEqual(didDocumentPaths('https://www.example.edu/badges'), [
    '/.well-known/did.json',
    '/did.json',
    '/badges/did.json',
  ]);
  assert.equal(
    didWebDocumentUrl(didWebFor('https://www.example.edu/badges')),
    'https://www.example.edu/badges/did.json',
  );
});

describe(`credentials (did:web) on ${testBackend}`, () => {
  let app: TestApp;
  let officeSession: BrowserSession;
  /** The programs this file issues from, by what they stand for. */
  let slugs: Record<'dataViz' | 'projectManagement' | 'draft' | 'retired' | 'other', string>;

  before(async () => {
    // An https address: the issuer is a did:web, as in production.
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL } });
    await anInstitution(app, INSTITUTION);
    slugs = {
      dataViz: (await aProgram(app, { title: 'Data Visualization' })).slug,
      projectManagement: (await aProgram(app, { title: 'Project Management', creditType: 'non_credit' }))
        .slug,
      draft: (await aProgram(app, { title: 'Podcast Production', status: 'draft' })).slug,
      retired: (await aProgram(app, { title: 'Print Layout', status: 'retired' })).slug,
      other: (await aProgram(app, { creditType: 'non_credit' })).slug,
    };
    officeSession = await (await aStaffMember(app, 'credentials_office')).signIn();
  });
  after(() => app.close());

  const issue = (slug = slugs.dataViz, extra: { format?: 'json' | 'jwt'; name?: string } = {}) =>
    app.services.credentials.issueCredential(system, {
      slug,
      learner: { email: 'Jordan.Reyes@Example.org', name: extra.name ?? 'Jordan Reyes' },
      format: extra.format,
    });

  /** POSTs JSON as a signed-in session would from our own pages: its cookies and its CSRF token header. */
  const postJson = async (url: string, payload: object, session: BrowserSession | null = officeSession) =>
    app.http.inject({
      method: 'POST',
      url,
      payload,
      headers: session ? await session.apiHeaders() : {},
    });

  const verifyApi = async (verifiableCredential: unknown) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential },
    });
    const body = response.json() as {
      verified: boolean;
      errors: { check: string; message: string }[];
      details: { id: string; status: string; message: string }[];
    };
    // VC-API: 200 when verified, 422 with the reasons when not.
    assert.equal(response.statusCode, body.verified ? 200 : 422, response.body);
    if (!body.verified) assert.ok(body.errors.length > 0, 'a failure always gives its reasons');
    return body;
  };

  const countCredentials = async () =>
    Number(
      (
        await app.database.db
          .selectFrom('credentials')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('an issued credential is built from the program, signed, stored and public', async () => {
    const issued = await issue();
    const c = issued.credential;
    assert.equal(c.id, `urn:uuid:${issued.id}`);
    assert.equal(c.issuer.id, WEB_DID);
    assert.equal(c.issuer.name, INSTITUTION.name);
    assert.equal(c.issuer.url, INSTITUTION.url);
    const achievement = c.credentialSubject.achievement;
    assert.equal(achievement.id, `${PUBLIC_URL}/catalog/${slugs.dataViz}`);
    assert.equal(achievement.achievementType, 'MicroCredential');
    assert.ok(achievement.criteria.narrative.startsWith('- '), achievement.criteria.narrative);
    assert.ok((achievement.alignment ?? []).length > 0, 'skills become alignments');
    assert.equal(c.image?.id, `${PUBLIC_URL}/catalog/${slugs.dataViz}/badge.png`);
    assert.equal(typeof achievement.creditsAvailable, 'number');
    assert.equal(c.credentialSubject.creditsEarned, achievement.creditsAvailable);
    const [identity] = c.credentialSubject.identifier ?? [];
    assert.match(identity?.identityHash ?? '', /^sha256\$[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(c).toLowerCase().includes('jordan.reyes@example.org'), 'no plain e-mail');
    assert.equal(c.credentialStatus?.type, 'BitstringStatusListEntry');
    assert.equal(c.credentialStatus?.statusPurpose, 'revocation');
    assert.equal(c.proof[0]?.cryptosuite, 'eddsa-rdfc-2022');
    assert.equal(c.proof[0]?.verificationMethod, `${WEB_DID}#key-1`);

    const row = await app.database.db
      .selectFrom('credentials')
      .selectAll()
      .where('id', '=', issued.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
    assert.equal(row.is_public, true);
    assert.equal(row.recipient_name, 'Jordan Reyes');
    assert.ok(!String(row.learner_email_hash).includes('@'));
    assert.deepEqual(row.json, c);

    const served = await app.http.inject({ url: `/credentials/${issued.id}` });
    assert.equal(served.statusCode, 200);
    assert.deepEqual(served.json(), c);
    assert.equal((await verifyApi(served.json())).verified, true);
    const audit = await app.services.audit.list({
      action: 'credential.issued',
      entityId: issued.id,
      limit: 5,
      offset: 0,
    });
    assert.equal(audit.length, 1);
  });

  test('status list entries are unique random positions in lists of at least 131,072', async () => {
    const a = await issue();
    const b = await issue();
    const entries = [a, b].map((i) => i.credential.credentialStatus);
    assert.notEqual(entries[0]?.statusListIndex, entries[1]?.statusListIndex);
    const lists = await app.database.db.selectFrom('status_lists').select(['size', 'purpose']).execute();
    assert.ok(lists.every((l) => l.size >= 131072));
  });

  test('the issue API takes the Stackable shape, for the credentials office and the registrar only', async () => {
    const body = {
      program: slugs.projectManagement,
      recipient: { email: 'sam@example.org', name: 'Sam Ortiz' },
    };
    const created = await postJson('/credentials/issue', body);
    assert.equal(created.statusCode, 201, created.body);
    const vc = created.json().verifiableCredential as SignedOpenBadgeCredential;
    assert.equal(vc.name, 'Project Management');
    assert.equal(created.headers.location, `/credentials/${vc.id.slice('urn:uuid:'.length)}`);

    const anonymous = await postJson('/credentials/issue', body, null);
    assert.equal(anonymous.statusCode, 401);
    const learner = await (await aLearner(app)).account!.signIn();
    assert.equal((await postJson('/credentials/issue', body, learner)).statusCode, 403);
  });

  test('the issue API takes a W3C VC-API request and fills in the issuer profile and status', async () => {
    const unsigned = {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: WEB_DID,
      name: 'Data Visualization',
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          {
            type: 'IdentityObject',
            identityType: 'emailAddress',
            hashed: false,
            identityHash: 'kai@example.org',
          },
        ],
        achievement: {
          id: `${PUBLIC_URL}/catalog/${slugs.dataViz}`,
          type: ['Achievement'],
          name: 'Data Visualization',
          description: 'Charts, maps and dashboards.',
          criteria: { narrative: 'Complete the three courses.' },
        },
      },
    };
    const response = await postJson('/credentials/issue', { credential: unsigned, options: {} });
    assert.equal(response.statusCode, 201, response.body);
    const vc = response.json().verifiableCredential as SignedOpenBadgeCredential;
    assert.equal(vc.issuer.id, WEB_DID);
    assert.equal(vc.credentialStatus?.statusPurpose, 'revocation', 'one status entry, an object');
    assert.notEqual(
      vc.credentialSubject.achievement.description,
      'Charts, maps and dashboards.',
      'the catalog describes the achievement, not the caller',
    );
    const [identity] = vc.credentialSubject.identifier ?? [];
    assert.equal(identity?.hashed, true, 'a plain e-mail is hashed before signing');
    assert.ok(!JSON.stringify(vc).includes('kai@example.org'));
    assert.equal((await verifyApi(vc)).verified, true);
    const again = await postJson('/credentials/issue', { credential: { ...unsigned, id: vc.id } });
    assert.equal(again.statusCode, 409, 'an id is issued once');
  });

  test('a schema-invalid credential is refused with field problems, and nothing is written', async () => {
    const before = await countCredentials();
    const allocatedBefore = await app.database.db
      .selectFrom('status_lists')
      .select(['id', 'allocated'])
      .execute();
    const response = await postJson('/credentials/issue', {
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        issuer: WEB_DID,
        credentialSubject: {
          type: ['AchievementSubject'],
          achievement: { id: `${PUBLIC_URL}/catalog/${slugs.dataViz}`, type: ['Achievement'] },
          creditsEarned: 'many',
        },
      },
    });
    assert.equal(response.statusCode, 400, response.body);
    const problem = response.json() as { code: string; errors: { field: string }[] };
    assert.equal(problem.code, 'VALIDATION_FAILED');
    assert.ok(
      problem.errors.some((e) => e.field === 'credentialSubject.creditsEarned'),
      JSON.stringify(problem.errors),
    );
    assert.equal(await countCredentials(), before);
    const allocatedAfter = await app.database.db
      .selectFrom('status_lists')
      .select(['id', 'allocated'])
      .execute();
    assert.deepEqual(
      allocatedAfter.sort((x, y) => x.id.localeCompare(y.id)),
      allocatedBefore.sort((x, y) => x.id.localeCompare(y.id)),
      'the status entries it took were given back',
    );

    const badEmail = await postJson('/credentials/issue', {
      program: slugs.dataViz,
      recipient: { email: 'nope' },
    });
    assert.equal(badEmail.statusCode, 400);
    assert.match(badEmail.body, /recipient\.email/);
    const draft = await postJson('/credentials/issue', {
      program: slugs.draft,
      recipient: { email: 'a@b.org' },
    });
    assert.equal(draft.statusCode, 422);
    assert.equal(await countCredentials(), before);
  });

  test('a VC-JWT is stored beside the JSON-LD and verifies', async () => {
    const issued = await issue(slugs.dataViz, { format: 'jwt' });
    // Asked for as a JWT, the credential comes back enveloped (VC 2.0), not as a bare string.
    assert.deepEqual(issued.verifiableCredential, {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: `data:application/vc+jwt,${issued.jwt}`,
      type: 'EnvelopedVerifiableCredential',
    });
    const served = await app.http.inject({ url: `/credentials/${issued.id}.jwt` });
    assert.equal(served.statusCode, 200);
    assert.equal(served.body, issued.jwt);
    const result = await verifyApi(served.body);
    assert.equal(result.verified, true, JSON.stringify(result.details));
  });

  test('tampering with a stored credential breaks its proof', async () => {
    const issued = await issue();
    await sql`update credentials set json = jsonb_set(json, '{name}', '"Forged Mastery"') where id = ${issued.id}`.execute(
      app.database.db,
    );
    const served = (await app.http.inject({ url: `/credentials/${issued.id}` })).json();
    assert.equal(served.name, 'Forged Mastery');
    const result = await verifyApi(served);
    assert.equal(result.verified, false);
    assert.equal(result.details.find((d) => d.id === 'proof')?.status, 'failed');
  });

  test('revoking flips the badge’s one status bit and re-signs its list; suspending needs the setting', async () => {
    // A non-credit badge: the credentials office, signed in here, manages those (the registrar the others).
    const issued = await issue(slugs.other);
    const revocation = issued.credential.credentialStatus;
    assert.ok(revocation && !Array.isArray(revocation), 'one status entry, an object');
    const listPath = new URL(revocation.statusListCredential).pathname;
    const bit = async () => {
      const list = (await app.http.inject({ url: listPath })).json();
      return getBit(decodeList(list.credentialSubject.encodedList), Number(revocation.statusListIndex));
    };

    const first = await app.http.inject({ url: listPath });
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['cache-control']), /max-age=300/);
    assert.equal(first.json().credentialSubject.ttl, 300_000, 'the list says how long it may be kept');
    const etag = String(first.headers.etag);
    assert.ok(etag.length > 2);
    const again = await app.http.inject({ url: listPath, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);

    const refused = await postJson(`/credentials/${issued.id}/status`, {
      status: 'suspended',
      reason: 'Fee',
    });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.match(refused.json().detail, /Suspension is turned off/);
    assert.equal((await app.services.credentials.find(issued.id))?.status, 'active');

    await setSuspension(app, true);
    try {
      const suspend = await postJson(`/credentials/${issued.id}/status`, {
        status: 'suspended',
        reason: 'Fee query',
      });
      assert.equal(suspend.statusCode, 200, suspend.body);
      assert.equal(await bit(), false, 'a suspension is not a revocation');
      assert.match((await verifyApi(issued.credential)).errors.map((e) => e.message).join(' '), /suspended/);

      const reinstate = await postJson(`/credentials/${issued.id}/status`, {
        status: 'active',
        reason: 'Fee paid',
      });
      assert.equal(reinstate.statusCode, 200, reinstate.body);
      assert.equal((await verifyApi(issued.credential)).verified, true);
    } finally {
      await setSuspension(app, false);
    }

    const noReason = await postJson(`/credentials/${issued.id}/status`, { status: 'revoked', reason: ' ' });
    assert.equal(noReason.statusCode, 400);
    const revoke = await postJson(`/credentials/${issued.id}/status`, {
      status: 'revoked',
      reason: 'Awarded in error',
    });
    assert.equal(revoke.statusCode, 200, revoke.body);
    assert.equal(await bit(), true);
    const changed = await app.http.inject({ url: listPath, headers: { 'if-none-match': etag } });
    assert.equal(changed.statusCode, 200, 'a changed list has a new ETag');
    const row = await app.services.credentials.find(issued.id);
    assert.equal(row?.status, 'revoked');
    assert.equal(row?.status_reason, 'Awarded in error');
    assert.match((await verifyApi(issued.credential)).errors.map((e) => e.message).join(' '), /revoked/);

    const reinstateRevoked = await postJson(`/credentials/${issued.id}/status`, {
      status: 'active',
      reason: 'Oops',
    });
    assert.equal(reinstateRevoked.statusCode, 422, 'revocation is permanent');
    const actions = (await app.services.audit.list({ entityId: issued.id, limit: 10, offset: 0 })).map(
      (e) => e.action,
    );
    for (const action of ['credential.suspended', 'credential.reinstated', 'credential.revoked']) {
      assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    }
  });

  test('baked PNG and SVG downloads carry the credential and verify', async () => {
    const issued = await issue();
    const png = await app.http.inject({ url: `/credentials/${issued.id}/baked.png` });
    assert.equal(png.statusCode, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.deepEqual(JSON.parse(extractFromPng(png.rawPayload) ?? 'null'), issued.credential);
    const svg = await app.http.inject({ url: `/credentials/${issued.id}/baked.svg` });
    assert.equal(svg.statusCode, 200);
    assert.deepEqual(JSON.parse(extractFromSvg(svg.body) ?? 'null'), issued.credential);
    for (const [body, type] of [
      [png.rawPayload, 'image/png'],
      [svg.rawPayload, 'image/svg+xml'],
    ] as const) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/credentials/verify',
        payload: body,
        headers: { 'content-type': type },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().verified, true);
    }
  });

  test('a hidden credential and its downloads are not found', async () => {
    const issued = await issue();
    await app.services.credentials.setPublic(system, issued.id, false);
    for (const url of [
      `/credentials/${issued.id}`,
      `/credentials/${issued.id}.jwt`,
      `/credentials/${issued.id}/baked.png`,
    ]) {
      const response = await app.http.inject({ url });
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    assert.equal(
      (await app.http.inject({ url: '/credentials/00000000-0000-4000-8000-000000000000' })).statusCode,
      404,
    );
  });

  test("program artwork is public for listed programs only, cached, in the institution's colours", async () => {
    const svg = await app.http.inject({ url: `/catalog/${slugs.dataViz}/badge.svg` });
    assert.equal(svg.statusCode, 200);
    assert.match(svg.body, /^<svg[^>]+role="img"/);
    assert.match(svg.body, /Data Visualization/);
    assert.match(String(svg.headers['cache-control']), /public/);
    const png = await app.http.inject({ url: `/catalog/${slugs.retired}/badge.png` });
    assert.equal(png.statusCode, 200, 'a retired program keeps its artwork');
    assert.deepEqual([...png.rawPayload.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const revalidated = await app.http.inject({
      url: `/catalog/${slugs.dataViz}/badge.svg`,
      headers: { 'if-none-match': String(svg.headers.etag) },
    });
    assert.equal(revalidated.statusCode, 304);
    for (const format of ['png', 'svg']) {
      const draft = await app.http.inject({ url: `/catalog/${slugs.draft}/badge.${format}` });
      assert.equal(draft.statusCode, 404, 'a draft has no public artwork');
    }
    assert.equal((await app.http.inject({ url: '/catalog/no-such-program/badge.png' })).statusCode, 404);
  });

  test('after a key rotation the DID document lists both keys, and old and new credentials verify', async () => {
    const before = await issue();
    // Asked before the rotation, so the keys and DIDs they keep must change with it.
    const { ownProofs, identity } = app.services.credentials;
    assert.equal((await ownProofs.verify(before.credential)).status, 'valid');
    const didsBefore = await identity.ourDids();
    const rotated = await app.services.credentials.rotateKey(system);
    assert.equal(rotated.did, WEB_DID);
    const afterRotation = await issue();
    assert.equal(afterRotation.credential.proof[0]?.verificationMethod, `${WEB_DID}#${rotated.keyId}`);
    assert.notEqual(
      before.credential.proof[0]?.verificationMethod,
      afterRotation.credential.proof[0]?.verificationMethod,
    );

    const response = await app.http.inject({ url: '/.well-known/did.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json() as {
      id: string;
      assertionMethod: string[];
      verificationMethod: { id: string }[];
    };
    assert.equal(document.id, WEB_DID);
    for (const issued of [before, afterRotation]) {
      const method = issued.credential.proof[0]?.verificationMethod ?? '';
      assert.ok(document.assertionMethod.includes(method), `${method} is listed`);
      assert.equal((await verifyApi(issued.credential)).verified, true);
      // Our own fast check knows the new key at once, not only the full verifier through the DID document.
      assert.equal((await ownProofs.verify(issued.credential)).status, 'valid');
    }
    assert.equal((await identity.ourDids()).length, didsBefore.length + 1);
    const rotations = await app.services.audit.list({
      action: 'credentials.key_rotated',
      limit: 5,
      offset: 0,
    });
    assert.equal(rotations.length, 1);
  });
  // Interoperability of the whole path: verifier-core fetches our DID document and the database-backed
  // status list from our own routes (over a stubbed fetch that answers through the app itself).
  test('a credential issued by the service verifies with verifier-core, then shows as revoked', async () => {
    const realFetch = globalThis.fetch;
    const requested: string[] = [];
    globalThis.fetch = async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      requested.push(url);
      if (url === ACHIEVEMENT_CREDENTIAL_SCHEMA) return new Response(schemaText, { status: 200 });
      if (!url.startsWith(`${PUBLIC_URL}/`)) return new Response('not found', { status: 404 });
      const response = await app.http.inject({ url: url.slice(PUBLIC_URL.length) });
      return new Response(new Uint8Array(response.rawPayload), {
        status: response.statusCode,
        headers: { 'content-type': 'application/json' },
      });
    };
    const coreLog = async (credential: object) => {
      const result = (await verifyCredential({
        credential: credential as CoreCredential,
        knownDIDRegistries: [],
      })) as { log?: { id: string; valid?: boolean }[]; errors?: unknown[] };
      assert.equal(result.errors, undefined, `verifier-core reported: ${JSON.stringify(result.errors)}`);
      return new Map((result.log ?? []).map((entry) => [entry.id, entry.valid]));
    };
    try {
      const issued = await issue(slugs.other);
      const live = await coreLog(issued.credential);
      assert.equal(live.get('valid_signature'), true);
      assert.equal(live.get('revocation_status'), true);
      assert.ok(
        requested.includes(`${PUBLIC_URL}/.well-known/did.json`),
        'the DID document came from our route',
      );
      assert.ok(requested.some((url) => url.startsWith(`${PUBLIC_URL}/credentials/status/`)));

      await app.services.credentials.changeStatus(system, issued.id, 'revoke', 'Interoperability check');
      const revoked = await coreLog(issued.credential);
      assert.equal(revoked.get('valid_signature'), true);
      assert.equal(revoked.get('revocation_status'), false);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
