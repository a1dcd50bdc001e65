import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anInstitution, aProgram } from '../../test/support/builders.ts';
import { setSuspension } from '../../test/support/suspension.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { CliIo } from '../cli/command-io.ts';
import { runCredentialCommand, runKeysCommand } from '../cli/credential-commands.ts';
import type { IssuedCredential } from '../credentials/award-credentials.ts';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import { didWebFor } from '../credentials/issuer-keys.ts';
import { signCredential } from '../credentials/sign-credential.ts';
import { newDidKeySigningKey, newDidWebSigningKey, sampleBadgeInput } from '../credentials/test-fixtures.ts';
import { systemClock } from '../platform/clock.ts';
import { VerificationService } from './verification.service.ts';

const system = { system: 'verification test' };

/** A CLI run against in-memory files. */
function memoryIo(files: Record<string, Uint8Array | string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readInput: async (path) => {
      const file = files[path];
      if (file === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return typeof file === 'string' ? new TextEncoder().encode(file) : file;
    },
    writeOutput: async (path, data) => {
      files[path] = data;
    },
  };
  return { io, files, out: () => out.join('\n'), err: () => err.join('\n') };
}

/** A browser-style multipart form post, carrying the session's cookies and (in the address) its CSRF token. */
async function postVerifyForm(
  app: TestApp,
  browser: BrowserSession,
  part: { text: string } | { file: Uint8Array; filename: string; type: string },
) {
  const boundary = `----stackable${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const token = await browser.csrfToken();
  const pieces: Buffer[] = [];
  if ('text' in part) pieces.push(field('text', part.text));
  else {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`,
      ),
      Buffer.from(part.file),
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return app.http.inject({
    method: 'POST',
    // As the page's form does: a multipart body carries its token in the address.
    url: `/verify?_csrf=${encodeURIComponent(token)}`,
    payload: Buffer.concat(pieces),
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

/** The verdict heading the page shows. */
const pageVerdict = (html: string) => /<h2 id="result-heading">([^<]+)<\/h2>/.exec(html)?.[1];

describe(`verification on ${testBackend}`, () => {
  let app: TestApp;
  let browser: BrowserSession;
  // Built before the tests and only read: the programs this file issues from.
  let slugs: Record<'socialMedia' | 'projectManagement' | 'draft', string>;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app, { name: 'Lakeshore Polytechnic' });
    slugs = {
      socialMedia: (await aProgram(app, { title: 'Social Media Strategy', creditType: 'non_credit' })).slug,
      projectManagement: (await aProgram(app, { title: 'Project Management', creditType: 'non_credit' }))
        .slug,
      draft: (await aProgram(app, { status: 'draft' })).slug,
    };
    browser = new BrowserSession(app);
  });
  after(() => app.close());

  const issue = (slug = slugs.socialMedia): Promise<IssuedCredential> =>
    app.services.credentials.issueCredential(system, {
      slug,
      learner: { email: 'priya.learner@example.org', name: 'Priya Shah' },
    });

  const apiVerify = async (body: unknown, type?: string) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      ...(type
        ? { payload: body as Buffer, headers: { 'content-type': type } }
        : { payload: { verifiableCredential: body } }),
    });
    return response;
  };

  /** What the API, the command line and the page each say about one credential. */
  async function allThreeSay(issued: IssuedCredential) {
    const api = (await apiVerify(issued.credential)).json() as {
      verified: boolean;
      errors: { message: string }[];
    };
    const cli = memoryIo({ 'badge.json': JSON.stringify(issued.credential) });
    const code = await runCredentialCommand(app, ['verify', 'badge.json'], cli.io);
    const page = await browser.get(`/verify?credential=${encodeURIComponent(issued.credential.id)}`);
    return { api, cli: { code, text: cli.out() }, page: { status: page.statusCode, html: page.body } };
  }

  test('a fresh credential is verified by the API, the command line and the page', async () => {
    const issued = await issue();
    const said = await allThreeSay(issued);
    assert.equal(said.api.verified, true);
    assert.equal(said.cli.code, 0, said.cli.text);
    assert.match(said.cli.text, /^Verified: "Social Media Strategy"\. Issued by Lakeshore Polytechnic\./);
    assert.match(said.cli.text, /✓ Digital signature: passed/);
    assert.equal(said.page.status, 200);
    assert.equal(pageVerdict(said.page.html), 'Verified');
    assert.match(said.page.html, /Awarded to<\/dt><dd>Priya Shah/);
    assert.match(said.page.html, /<details><summary>Show the badge data<\/summary>/);
  });

  test('after revoking on the command line, all three say revoked', async () => {
    const issued = await issue();
    const cli = memoryIo();
    const code = await runCredentialCommand(
      app,
      ['revoke', issued.id, '--reason', 'Issued in error'],
      cli.io,
    );
    assert.equal(code, 0, cli.err());
    assert.match(cli.out(), /is revoked/);
    const said = await allThreeSay(issued);
    assert.equal(said.api.verified, false);
    assert.match(said.api.errors.map((e) => e.message).join(' '), /revoked/);
    assert.equal(said.cli.code, 1);
    assert.match(said.cli.text, /^Not verified/);
    assert.match(said.cli.text, /revoked this badge/);
    assert.equal(pageVerdict(said.page.html), 'Not verified');
    assert.match(said.page.html, /The issuer has revoked this badge\./);
    assert.match(said.page.html, /Standing<\/dt><dd>Revoked/);
  });

  test('a suspended credential fails everywhere, and verifies again once reinstated', async () => {
    const issued = await issue();
    const cli = memoryIo();
    assert.equal(
      await runCredentialCommand(app, ['suspend', issued.id, '--reason', 'Under review'], cli.io),
      1,
      'refused while the institution has suspension off',
    );
    assert.match(cli.err() + cli.out(), /Suspension is turned off/);
    await setSuspension(app, true);
    assert.equal(
      await runCredentialCommand(app, ['suspend', issued.id, '--reason', 'Under review'], cli.io),
      0,
    );
    let said = await allThreeSay(issued);
    assert.equal(said.api.verified, false);
    assert.match(said.api.errors.map((e) => e.message).join(' '), /suspended/);
    assert.equal(said.cli.code, 1);
    assert.match(said.page.html, /The issuer has suspended this badge\./);

    assert.equal(
      await runCredentialCommand(app, ['reinstate', issued.id, '--reason', 'Review closed'], cli.io),
      0,
    );
    said = await allThreeSay(issued);
    assert.equal(said.api.verified, true);
    assert.equal(said.cli.code, 0);
    assert.equal(pageVerdict(said.page.html), 'Verified');
    await setSuspension(app, false);
  });

  test('uploading a baked PNG or SVG on the page verifies it; pasting its JWT does too', async () => {
    const issued = await issue();
    const png = (await app.http.inject({ url: `/credentials/${issued.id}/baked.png` })).rawPayload;
    const uploaded = await postVerifyForm(app, browser, {
      file: png,
      filename: 'badge.png',
      type: 'image/png',
    });
    assert.equal(uploaded.statusCode, 200, uploaded.body.slice(0, 500));
    assert.equal(pageVerdict(uploaded.body), 'Verified');
    assert.match(uploaded.body, /Given as a baked PNG image/);

    const svg = (await app.http.inject({ url: `/credentials/${issued.id}/baked.svg` })).rawPayload;
    const svgPage = await postVerifyForm(app, browser, { file: svg, filename: 'x.txt', type: 'text/plain' });
    assert.equal(pageVerdict(svgPage.body), 'Verified', 'told apart by content, not by name');
    assert.match(svgPage.body, /Given as a baked SVG image/);

    const pasted = await postVerifyForm(app, browser, { text: issued.jwt! });
    assert.equal(pageVerdict(pasted.body), 'Verified');
    assert.match(pasted.body, /Given as a VC-JWT/);

    const cli = memoryIo({ 'badge.png': png });
    assert.equal(await runCredentialCommand(app, ['verify', 'badge.png', '--json'], cli.io), 0);
    assert.equal(JSON.parse(cli.out()).source, 'png');
  });

  test('a PNG with no badge in it gets a clear error everywhere', async () => {
    const plain = (await app.http.inject({ url: `/catalog/${slugs.socialMedia}/badge.png` })).rawPayload;
    const page = await postVerifyForm(app, browser, {
      file: plain,
      filename: 'badge.png',
      type: 'image/png',
    });
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /This PNG image has no badge baked into it/);
    const api = await apiVerify(plain, 'image/png');
    assert.equal(api.statusCode, 400);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(api.json().title, /no badge baked into it/);
    const cli = memoryIo({ 'plain.png': plain });
    assert.equal(await runCredentialCommand(app, ['verify', 'plain.png'], cli.io), 2);
    assert.match(cli.out(), /no badge baked into it/);
    const missing = memoryIo();
    assert.equal(await runCredentialCommand(app, ['verify', 'nowhere.png'], missing.io), 2);
  });

  test('a 50 MB upload is refused with 413 and a plain reason', async () => {
    const huge = new Uint8Array(50 * 1024 * 1024);
    huge.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const page = await postVerifyForm(app, browser, { file: huge, filename: 'huge.png', type: 'image/png' });
    assert.equal(page.statusCode, 413);
    assert.match(page.body, /larger than 5 MB/);
    assert.match(page.body, /<h1>Verify a badge<\/h1>/, 'the verify page, ready for another try');
    const api = await apiVerify(Buffer.from(huge), 'image/png');
    assert.equal(api.statusCode, 413);
    assert.equal(api.json().code, 'PAYLOAD_TOO_LARGE');
    assert.match(api.json().title, /larger than 5 MB/);
  });

  test('the page without a badge, or with an unknown id, says so plainly', async () => {
    const empty = await browser.get('/verify');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /<label for="badge-file">/);
    const unknown = await browser.get('/verify?credential=urn:uuid:00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /No public badge of this institution has that id/);
    const elsewhere = await browser.get('/verify?credential=https://badges.elsewhere.example/b/1');
    assert.match(elsewhere.body, /checks badges of other issuers only when they are uploaded or pasted/);
    const nothing = await postVerifyForm(app, browser, { text: '   ' });
    assert.equal(nothing.statusCode, 400);
  });

  test('the command line issues to a file in either format, and the file verifies', async () => {
    for (const format of ['json', 'jwt']) {
      const cli = memoryIo();
      const args = [
        'issue',
        '--program',
        slugs.projectManagement,
        '--email',
        'lee@example.org',
        '--format',
        format,
      ];
      assert.equal(await runCredentialCommand(app, [...args, '--out', 'out.badge'], cli.io), 0, cli.err());
      assert.match(cli.out(), /^Issued credential [0-9a-f-]{36} \(Project Management\) to lee@example.org/);
      const check = memoryIo({ 'out.badge': cli.files['out.badge'] ?? '' });
      assert.equal(await runCredentialCommand(app, ['verify', 'out.badge'], check.io), 0, check.out());
    }
    const refused = memoryIo();
    const code = await runCredentialCommand(
      app,
      ['issue', '--program', slugs.draft, '--email', 'a@b.org'],
      refused.io,
    );
    assert.equal(code, 1);
    assert.match(refused.err(), /not an approved micro-credential/);
    assert.equal(await runCredentialCommand(app, ['issue', '--email', 'a@b.org'], refused.io), 64);
  });

  test('with did:key, a rotated key is its own DID and its credentials keep verifying', async () => {
    const before = await issue();
    const cli = memoryIo();
    assert.equal(await runKeysCommand(app, ['rotate'], cli.io), 0);
    assert.match(cli.out(), /New signing key key-\d+ is in use for did:key:z6Mk/);
    const afterRotation = await issue();
    assert.notEqual(before.credential.issuer.id, afterRotation.credential.issuer.id);
    for (const issued of [before, afterRotation]) {
      assert.equal((await apiVerify(issued.credential)).json().verified, true);
    }
    const list = memoryIo();
    assert.equal(await runKeysCommand(app, ['list'], list.io), 0);
    assert.match(list.out(), /retired/);
  });

  test("another issuer's badge is checked without any network unless the network is allowed", async () => {
    const fetched: string[] = [];
    const fetcher = async (url: string) => {
      fetched.push(url);
      return new Response('not here', { status: 404 });
    };
    const other = await newDidKeySigningKey();
    const foreign = await signCredential(
      buildOpenBadgeCredential(
        sampleBadgeInput(other.did, {
          status: { revocation: { listUrl: 'https://other.example/s/1', index: 3 } },
        }),
      ),
      other,
    );
    const offline = new VerificationService(
      app.services.credentials,
      systemClock,
      { allowNetwork: false },
      fetcher,
    );
    const result = await offline.verifyObject(foreign);
    assert.equal(result.checks.find((c) => c.id === 'proof')?.status, 'passed');
    assert.equal(result.checks.find((c) => c.id === 'status')?.status, 'failed');
    assert.equal(result.checks.find((c) => c.id === 'issuer')?.status, 'warning');
    assert.deepEqual(fetched, []);

    const webKey = await newDidWebSigningKey('https://badges.elsewhere.example');
    const webBadge = await signCredential(
      buildOpenBadgeCredential(sampleBadgeInput(webKey.did, { status: undefined })),
      webKey,
    );
    assert.equal((await offline.verifyObject(webBadge)).verified, false);
    assert.deepEqual(fetched, [], 'no did:web lookup without permission');
    const online = new VerificationService(
      app.services.credentials,
      systemClock,
      { allowNetwork: true },
      fetcher,
    );
    await online.verifyObject(webBadge);
    assert.deepEqual(fetched, ['https://badges.elsewhere.example/.well-known/did.json']);
    assert.equal(didWebFor('https://badges.elsewhere.example'), webKey.did);
  });
});
