// Audit point 3: the credentials office read the administrator's reset link in /admin/mail and became admin.
// Staff see that mail went out, never the one-time links in it; /dev/mail is the developer's own mailbox only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createLogger } from '../../src/platform/logger.ts';
import { claimPathIn, issueBadge } from '../support/backpack.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { newPerson } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

/** The newest real message (as its recipient gets it) to an address, waiting for queued work to write it. */
async function mailTo(app: TestApp, address: string, kind: string) {
  const until = Date.now() + 15_000;
  for (;;) {
    const found = (await app.services.notifications.list({ to: address, limit: 20 })).find(
      (m) => m.kind === kind,
    );
    if (found) return found;
    if (Date.now() > until) throw new Error(`no ${kind} mail to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const tokenIn = (text: string) => {
  const token = /[?&]token=([A-Za-z0-9_.~-]+)/.exec(text)?.[1];
  assert.ok(token, 'the recipient gets a link with a token');
  return token;
};

describe(`the outbox keeps one-time links from staff on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof newPerson>>;
  let office: Awaited<ReturnType<typeof newPerson>>;
  const secrets: { kind: string; token: string; link: string }[] = [];

  before(async () => {
    app = await startTestApp({ seed: true });
    admin = await newPerson(app, 'Outbox Admin', ['admin']);
    office = await newPerson(app, 'Outbox Office', ['credentials_office']);

    // Every kind of mail that carries a one-time secret: a password reset (the administrator's own), an
    // invitation, and a badge claim.
    await new BrowserSession(app).postForm('/password/forgot', { email: admin.email });
    const reset = await mailTo(app, admin.email, 'password_reset');
    secrets.push({ kind: 'password_reset', token: tokenIn(reset.text_body), link: '/password/reset' });

    const invitee = `invitee.${Date.now()}@mail.example`;
    const invited = await admin.browser.postForm('/admin/users', {
      name: 'Invited Person',
      email: invitee,
      roles: ['registrar'],
    });
    assert.equal(invited.statusCode, 303);
    const invitation = await mailTo(app, invitee, 'invitation');
    secrets.push({ kind: 'invitation', token: tokenIn(invitation.text_body), link: '/invitation' });

    const learner = `claimer.${Date.now()}@mail.example`;
    await issueBadge(app, { email: learner, name: 'Claiming Learner' });
    const claim = await mailTo(app, learner, 'badge_claim');
    secrets.push({ kind: 'badge_claim', token: tokenIn(claimPathIn(claim.text_body)), link: '/claim' });
  });
  after(() => app?.close());

  for (const who of ['office', 'admin'] as const) {
    test(`the ${who} sees who was mailed and what about, but no one-time token`, async () => {
      const browser = who === 'office' ? office.browser : admin.browser;
      for (const path of ['/admin/mail', '/admin/mail?status=queued', '/admin/mail?status=sent']) {
        const page = await browser.get(path);
        assert.equal(page.statusCode, 200, path);
        for (const secret of secrets) {
          assert.ok(
            !page.body.includes(secret.token),
            `${path} shows the ${secret.kind} token to the ${who}`,
          );
        }
      }
      const all = (await browser.get('/admin/mail')).body;
      assert.match(all, new RegExp(admin.email.replace(/\./g, '\\.')));
      assert.match(all, /Reset your .* password/);
      assert.match(all, /one-time link, sent to the recipient only/);
    });
  }

  test('the recipient still gets working links', async () => {
    const visitor = new BrowserSession(app);
    for (const secret of secrets) {
      const page = await visitor.get(`${secret.link}?token=${secret.token}`);
      assert.equal(page.statusCode, 200, `${secret.kind} link works`);
    }
  });

  test('the developer mailbox does not exist outside development', async () => {
    const response = await admin.browser.get('/dev/mail');
    assert.equal(response.statusCode, 404);
    assert.ok(!response.body.includes(secrets[0]!.token));
  });
});

describe(`the developer mailbox answers only this machine on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'development' }, runJobs: false });
  });
  after(() => app?.close());

  test('from another machine it is not found, even claiming to be local in a header', async () => {
    for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }]) {
      const response = await app.http.inject({
        method: 'GET',
        url: '/dev/mail',
        remoteAddress: '203.0.113.7',
        headers,
      });
      assert.equal(response.statusCode, 404);
    }
  });

  test('through a proxy on this machine it is not found either', async () => {
    for (const headers of [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }]) {
      const response = await app.http.inject({
        method: 'GET',
        url: '/dev/mail',
        remoteAddress: '127.0.0.1',
        headers,
      });
      assert.equal(response.statusCode, 404);
    }
  });

  test('from loopback in development it shows the mail in full', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const response = await app.http.inject({ method: 'GET', url: '/dev/mail', remoteAddress });
      assert.equal(response.statusCode, 200, remoteAddress);
    }
  });
});

describe('request logs', () => {
  test('a one-time link opened in the browser leaves no token in the log', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const http = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    http.get('/password/reset', async () => 'form');
    await http.inject({ url: '/password/reset?token=Secret-Token-1234567890&x=1' });
    await http.close();
    assert.ok(
      lines.some((line) => line.includes('/password/reset?token=')),
      'the request is logged',
    );
    assert.ok(!lines.some((line) => line.includes('Secret-Token-1234567890')));
  });
});
