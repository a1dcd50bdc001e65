import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as vc from '@digitalcredentials/vc';
import type { CliIo } from '../../src/cli/command-io.ts';
import { runCredentialCommand, runKeysCommand } from '../../src/cli/credential-commands.ts';
import { runTrustedIssuersCommand } from '../../src/cli/trusted-issuer-commands.ts';
import type {
  SignedOpenBadgeCredential,
  UnsignedOpenBadgeCredential,
} from '../../src/credentials/credential-types.ts';
import { createDocumentLoader } from '../../src/credentials/document-loader.ts';
import { prepareSigner } from '../../src/credentials/prepared-signer.ts';
import { signCredential } from '../../src/credentials/sign-credential.ts';
import { newDidKeySigningKey } from '../../src/credentials/test-fixtures.ts';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { demo } from '../support/programs.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { fetcherTrusting, makeTestAuthority, startHttpsServer } from '../support/tls-authority.ts';

/**
 * Audit issue 12, point 1: a look-alike badge that names this institution, carries its artwork address and is
 * signed with a self-made did:key must never be shown as issued by the institution.
 */

function memoryIo(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readInput: async (path) => {
      const file = files[path];
      if (file === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return new TextEncoder().encode(file);
    },
    writeOutput: async (path, data) => {
      files[path] = data;
    },
  };
  return { io, out: () => out.join('\n'), err: () => err.join('\n') };
}

interface IssuerTrustBody {
  level: string;
  signer: string | null;
  name?: string | null;
  claimedName?: string | null;
  message: string;
}

describe(`forged look-alike badges on ${testBackend}`, () => {
  let app: TestApp;
  let registry: Awaited<ReturnType<typeof startHttpsServer>>;
  let registryUrl: string;
  /** What the local registry serves; tests change it. */
  let registryBody = '{}';
  let ourName: string;
  let slug: string;

  before(async () => {
    const authority = makeTestAuthority();
    registry = await startHttpsServer(authority, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(registryBody);
    });
    registryUrl = `https://127.0.0.1:${registry.port}/registry.json`;
    app = await startTestApp({
      seed: true,
      runJobs: false,
      env: { STACKABLE_ALLOW_NETWORK: 'true' },
      fetcher: fetcherTrusting(authority.ca),
    });
    ourName = (await app.services.institution.get()).name;
    const program = await app.database.db
      .selectFrom('programs')
      .select('slug')
      .where('status', 'in', ['pilot', 'established'])
      .orderBy('slug')
      .executeTakeFirstOrThrow();
    slug = program.slug;
  });
  after(async () => {
    await app.close();
    await registry.close();
  });

  const issueOurs = () =>
    app.services.credentials.issueCredential(
      { system: 'forged badge test' },
      { slug, learner: { email: `learner-${Date.now()}@example.org`, name: 'Robin Example' } },
    );

  /** A copy of one of our badges, re-signed by a freshly made did:key: our name, our artwork, not our key. */
  async function forgeFrom(genuine: SignedOpenBadgeCredential, issuerName = ourName) {
    const key = await newDidKeySigningKey();
    const { proof: _proof, credentialStatus: _status, ...unsigned } = structuredClone(genuine);
    const copy: UnsignedOpenBadgeCredential = {
      ...unsigned,
      issuer: { ...unsigned.issuer, id: key.did, name: issuerName },
    };
    return { key, forged: await signCredential(copy, key) };
  }

  const apiVerify = async (credential: unknown) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: credential },
    });
    const body = response.json() as {
      verified: boolean;
      trusted: boolean;
      issuerTrust: IssuerTrustBody;
      warnings: { message: string; type?: string }[];
      errors: { message: string }[];
    };
    // VC-API: 200 when verified, 422 with the reasons when not.
    assert.equal(response.statusCode, body.verified ? 200 : 422, response.body);
    if (!body.verified) assert.ok(body.errors.length > 0, 'a failure always gives its reasons');
    return body;
  };

  const pageFor = async (credential: unknown) => {
    const visitor = new BrowserSession(app);
    return visitor.postForm('/verify', { text: JSON.stringify(credential) });
  };

  const cliFor = async (credential: unknown, json = false) => {
    const cli = memoryIo({ 'badge.json': JSON.stringify(credential) });
    const code = await runCredentialCommand(
      app,
      ['verify', 'badge.json', ...(json ? ['--json'] : [])],
      cli.io,
    );
    return { code, text: cli.out() };
  };

  /** The result box of the verify page, so the forms and the site's own header are left out. */
  const resultOf = (html: string) =>
    /<section[^>]*class="verify-result"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

  test('the API names the real signer of a look-alike badge, not this institution', async () => {
    const { key, forged } = await forgeFrom((await issueOurs()).credential);
    const body = await apiVerify(forged);
    assert.equal(body.issuerTrust.level, 'unknown');
    assert.equal(body.issuerTrust.signer, key.did);
    assert.equal(body.issuerTrust.claimedName, ourName);
    assert.equal(body.issuerTrust.name ?? null, null, 'no trusted name for an unknown signer');
    assert.match(body.issuerTrust.message, new RegExp(`^Signed by ${key.did}, which is not a known issuer`));
    assert.match(body.issuerTrust.message, /uses the name of this institution but was not issued by it/);
    assert.equal(body.verified, false, 'a relying party reading only `verified` must not accept it');
    assert.equal(body.trusted, false);
  });

  test('a badge naming our issuer id but signed with another key is refused everywhere', async () => {
    const genuine = (await issueOurs()).credential;
    const key = await newDidKeySigningKey();
    const { proof: _proof, ...unsigned } = structuredClone(genuine);
    // Everything of ours, issuer id included; only the key is someone else's (signed as other software would,
    // since our own signer refuses to sign for an issuer that is not the key's).
    const { suite } = await prepareSigner(key);
    const forged = (await vc.issue({
      credential: unsigned,
      suite,
      documentLoader: createDocumentLoader(),
    })) as {
      issuer: { id: string };
    };
    assert.equal(forged.issuer.id, genuine.issuer.id);
    const body = await apiVerify(forged);
    assert.equal(body.verified, false);
    assert.equal(body.trusted, false);
    assert.notEqual(body.issuerTrust.level, 'ours');
    const result = resultOf((await pageFor(forged)).body);
    assert.match(result, /<h2 id="result-heading">Not verified<\/h2>/);
    assert.doesNotMatch(result, /notice-ok/);
    assert.equal((await cliFor(forged)).code, 1);
  });

  test('a look-alike spelled in other case and spacing is still called out', async () => {
    const spaced = `  ${ourName.toUpperCase().replace(/ /g, '   ')} `;
    const { forged } = await forgeFrom((await issueOurs()).credential, spaced);
    const body = await apiVerify(forged);
    assert.equal(body.issuerTrust.level, 'unknown');
    assert.match(body.issuerTrust.message, /uses the name of this institution but was not issued by it/);
  });

  test('the page never shows a look-alike in green, with our name in its headline or with our artwork', async () => {
    const genuine = (await issueOurs()).credential;
    const { key, forged } = await forgeFrom(genuine);
    const page = await pageFor(forged);
    assert.equal(page.statusCode, 200);
    const result = resultOf(page.body);
    assert.ok(result, 'a result is shown');
    assert.doesNotMatch(result, /notice-ok/);
    assert.doesNotMatch(result, /<img/);
    const headline = /<h2 id="result-heading">([^<]*)<\/h2>/.exec(result)?.[1] ?? '';
    assert.equal(headline, 'Not verified', 'borrowing our name is a failure, not a mere warning');
    assert.ok(!headline.includes(ourName));
    assert.match(result, new RegExp(`Signed by ${key.did}, which is not a known issuer`));
    assert.match(result, /uses the name of this institution but was not issued by it/);
    assert.match(result, new RegExp(`Issued by</dt><dd>[^<]*${key.did}`));
    assert.doesNotMatch(result, /This badge is genuine/);
  });

  test('an unknown signer under its own name is neither green nor red: signature valid, issuer not known', async () => {
    const { key, forged } = await forgeFrom((await issueOurs()).credential, 'Elsewhere Institute');
    const body = await apiVerify(forged);
    assert.equal(body.issuerTrust.level, 'unknown');
    // The VC-API follows VC 2.0: the credential holds up; that nobody here knows its signer is said apart.
    assert.equal(body.verified, true);
    assert.equal(body.trusted, false);
    assert.deepEqual(
      body.warnings.map((warning) => warning.type),
      ['UntrustedIssuer'],
    );
    assert.doesNotMatch(body.issuerTrust.message, /name of this institution/);
    const result = resultOf((await pageFor(forged)).body);
    assert.match(result, /class="notice notice-warn"/);
    assert.match(result, /<h2 id="result-heading">Signature valid, issuer not known<\/h2>/);
    assert.match(
      result,
      new RegExp(`Signed by ${key.did}, which is not a known issuer; it calls itself 'Elsewhere Institute'`),
    );
    assert.doesNotMatch(result, /<img/);
    const lead = /<h2 id="result-heading">[\s\S]*?<\/p>/.exec(result)?.[0] ?? '';
    assert.ok(lead && !lead.includes(ourName), 'our name is neither in the headline nor in the signer line');
    const cli = await cliFor(forged);
    assert.equal(cli.code, 1);
    assert.match(cli.text, /^Signature valid, issuer not known: /);
  });

  test('the command line says who signed it and exits as not verified', async () => {
    const { key, forged } = await forgeFrom((await issueOurs()).credential);
    const said = await cliFor(forged);
    assert.equal(said.code, 1, said.text);
    assert.doesNotMatch(said.text, /^Verified/);
    assert.ok(
      said.text.split('\n')[0]?.includes(`Signed by ${key.did}, which is not a known issuer`),
      said.text,
    );
    const json = JSON.parse((await cliFor(forged, true)).text) as { issuerTrust: IssuerTrustBody };
    assert.equal(json.issuerTrust.level, 'unknown');
  });

  test('our own badges, before and after a key rotation, are issued by the institution', async () => {
    const older = await issueOurs();
    const rotated = memoryIo();
    assert.equal(await runKeysCommand(app, ['rotate'], rotated.io), 0, rotated.err());
    const newer = await issueOurs();
    assert.notEqual(older.credential.proof, newer.credential.proof);
    for (const issued of [older, newer]) {
      const body = await apiVerify(issued.credential);
      assert.equal(body.verified, true, JSON.stringify(body));
      assert.equal(body.trusted, true);
      assert.equal(body.issuerTrust.level, 'ours');
      assert.equal(body.issuerTrust.name, ourName);
      assert.equal(body.issuerTrust.message, `Issued by ${ourName}.`);
      const result = resultOf((await pageFor(issued.credential)).body);
      assert.match(result, /notice-ok/);
      assert.match(result, /<img src="\/catalog\//);
      assert.match(result, new RegExp(`Issued by ${ourName}`));
      const cli = await cliFor(issued.credential);
      assert.equal(cli.code, 0, cli.text);
      assert.match(cli.text, new RegExp(`^Verified: .* Issued by ${ourName}\\.`));
    }
  });

  test('a DID an administrator trusts is a known issuer under the name the administrator gave', async () => {
    const { key, forged } = await forgeFrom((await issueOurs()).credential, 'Partner College');
    assert.equal((await apiVerify(forged)).issuerTrust.level, 'unknown');

    const admin = new BrowserSession(app);
    await admin.login(demo.admin, DEMO_PASSWORD);
    const office = new BrowserSession(app);
    await office.login(demo.credentials, DEMO_PASSWORD);
    assert.equal((await office.get('/admin/trusted-issuers')).statusCode, 403);
    const refused = await office.postForm('/admin/trusted-issuers', { did: key.did, name: 'Sneaky' });
    assert.equal(refused.statusCode, 403);
    const noToken = await admin.postForm(
      '/admin/trusted-issuers',
      { did: key.did, name: 'X' },
      { csrf: false },
    );
    assert.equal(noToken.statusCode, 403);
    const bad = await admin.postForm('/admin/trusted-issuers', { did: 'not a did', name: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /DID must be a DID/);

    const added = await admin.postForm('/admin/trusted-issuers', {
      did: key.did,
      name: 'Partner College of the Valley',
      note: 'Articulation agreement 2026',
    });
    assert.equal(added.statusCode, 303, added.body);
    const listed = await admin.get('/admin/trusted-issuers');
    assert.match(listed.body, /Partner College of the Valley/);
    const audited = await app.services.audit.list({ action: 'trusted_issuer.added', limit: 10, offset: 0 });
    assert.ok(audited.some((entry) => entry.entity_id !== null));

    const body = await apiVerify(forged);
    assert.equal(body.issuerTrust.level, 'known');
    assert.equal(body.issuerTrust.name, 'Partner College of the Valley');
    assert.match(body.issuerTrust.message, /a known issuer/);
    assert.equal(body.verified, true);
    assert.equal(body.trusted, true);
    const result = resultOf((await pageFor(forged)).body);
    assert.match(result, /Partner College of the Valley/);
    assert.match(result, /known issuer/);
    assert.doesNotMatch(result, /<img/, 'a known issuer is still not us: none of our artwork');

    // A trusted DID that copies our name is still not us.
    const copycat = await forgeFrom((await issueOurs()).credential);
    const cli = memoryIo();
    assert.equal(
      await runTrustedIssuersCommand(app, ['add', copycat.key.did, '--name', 'Copycat Academy'], cli.io),
      0,
      cli.err(),
    );
    const copy = await apiVerify(copycat.forged);
    assert.equal(copy.issuerTrust.level, 'known');
    assert.equal(copy.issuerTrust.name, 'Copycat Academy');
    assert.match(copy.issuerTrust.message, /uses the name of this institution but was not issued by it/);
    assert.equal(copy.verified, false, 'borrowing our name fails, even for a known issuer');
    assert.equal(copy.trusted, false);
    const underOurName = await admin.postForm('/admin/trusted-issuers', {
      did: copycat.key.did,
      name: ourName,
    });
    assert.equal(underOurName.statusCode, 400);
    assert.match(underOurName.body, /is the name of this institution/);
    assert.equal(await runTrustedIssuersCommand(app, ['remove', copycat.key.did], cli.io), 0, cli.err());
    assert.equal((await apiVerify(copycat.forged)).issuerTrust.level, 'unknown');
  });

  test('a registry in the DCC format, fetched over HTTPS, makes its issuers known; errors are shown', async () => {
    const { key, forged } = await forgeFrom((await issueOurs()).credential, 'Registry Member College');
    registryBody = JSON.stringify({
      meta: { created: '2026-01-01T00:00:00Z', updated: '2026-02-01T00:00:00Z' },
      registry: {
        [key.did]: {
          name: 'Registry Member College',
          url: 'https://member.example',
          location: 'Somewhere, BC',
        },
      },
    });
    const admin = new BrowserSession(app);
    await admin.login(demo.admin, DEMO_PASSWORD);
    const insecure = await admin.postForm('/admin/trusted-issuers/registries', {
      name: 'Plain',
      url: 'http://127.0.0.1/registry.json',
    });
    assert.equal(insecure.statusCode, 400);
    assert.match(insecure.body, /must start with https:\/\//);
    const added = await admin.postForm('/admin/trusted-issuers/registries', {
      name: 'Test consortium registry',
      url: registryUrl,
    });
    assert.equal(added.statusCode, 303, added.body);
    const listed = await admin.get('/admin/trusted-issuers');
    assert.match(listed.body, /Test consortium registry/);
    assert.match(listed.body, /1 issuer/);
    assert.match(listed.body, /Fetched /);

    const body = await apiVerify(forged);
    assert.equal(body.issuerTrust.level, 'known');
    assert.equal(body.issuerTrust.name, 'Registry Member College');
    assert.match(body.issuerTrust.message, /Test consortium registry/);

    const listing = memoryIo();
    assert.equal(await runTrustedIssuersCommand(app, ['list'], listing.io), 0, listing.err());
    assert.match(listing.out(), /registry [0-9a-f-]{36} {2}Test consortium registry .* 1 issuers, fetched /);

    // A broken registry keeps the copy fetched before and says what went wrong.
    registryBody = '{"registry": 12}';
    const row = /action="(\/admin\/trusted-issuers\/registries\/[0-9a-f-]+\/refresh)"/.exec(listed.body);
    assert.ok(row?.[1], 'a refresh button');
    const refreshed = await admin.postForm(row[1], {});
    assert.equal(refreshed.statusCode, 303);
    const after = await admin.get('/admin/trusted-issuers');
    assert.match(after.body, /has no &quot;registry&quot; object of issuers/);
    assert.equal((await apiVerify(forged)).issuerTrust.level, 'known');
  });
});
