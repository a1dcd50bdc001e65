import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { freePort } from '../support/free-port.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// Audit, issue 12, point 2, as the auditor did it: a page on a sibling subdomain (same-site, so SameSite=Lax
// cookies go along) posts forms and no-cors fetches with odd content types to the app of a signed-in administrator.

/** The attacker's page: fires every forgery it can without reading anything back, then says it has finished. */
function attackPage(app: string, victimId: string, tag: string): string {
  const invite = (n: number) =>
    new URLSearchParams({
      name: `Forged ${n}`,
      email: `forged${n}.${tag}@mail.example`,
      roles: 'admin',
    }).toString();
  return `<!doctype html><html><head><title>cute cats</title></head><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe>
<form id="f1" method="post" target="sink1" action="${app}/admin/users">
  <input name="name" value="Forged 10"><input name="email" value="forged10.${tag}@mail.example">
  <input name="roles" value="admin"></form>
<form id="f2" method="post" target="sink2" enctype="text/plain" action="${app}/admin/users">
  <input name="name" value="Forged 11"></form>
<form id="f3" method="post" target="sink3" enctype="multipart/form-data" action="${app}/admin/users/${victimId}/roles">
  <input name="roles" value="admin"></form>
<script>
const app = ${JSON.stringify(app)};
const send = (path, type, body) => fetch(app + path, {
  method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: type ? { 'Content-Type': type } : {}, body,
}).catch(() => undefined);
const grant = new FormData();
grant.append('roles', 'admin');
const submitted = (id, sink) => new Promise((resolve) => {
  document.querySelector('iframe[name=' + sink + ']').addEventListener('load', resolve, { once: true });
  document.getElementById(id).submit();
});
(async () => {
  await Promise.all([
    send('/admin/users', 'APPLICATION/X-WWW-FORM-URLENCODED', ${JSON.stringify(invite(1))}),
    send('/admin/users', 'Application/X-Www-Form-Urlencoded;charset=UTF-8', ${JSON.stringify(invite(2))}),
    send('/admin/users', 'application/x-www-form-urlencoded; charset=utf-8', ${JSON.stringify(invite(3))}),
    send('/admin/users', 'text/plain', ${JSON.stringify(invite(4))}),
    send('/admin/users/${victimId}/roles', 'APPLICATION/X-WWW-FORM-URLENCODED', 'roles=admin'),
    send('/admin/users/${victimId}/roles', 'TEXT/PLAIN', 'roles=admin'),
    send('/admin/users/${victimId}/roles', null, grant),
    send('/logout', 'APPLICATION/X-WWW-FORM-URLENCODED', ''),
  ]);
  await submitted('f1', 'sink1');
  await submitted('f2', 'sink2');
  await submitted('f3', 'sink3');
  document.title = 'attack finished';
})();
</script></body></html>`;
}

describe('CSRF from a sibling subdomain in Chromium', () => {
  let app: TestApp;
  let attacker: Server;
  let browser: Browser;
  let appUrl: string;
  let attackerUrl: string;
  const tag = randomBytes(3).toString('hex');
  const admin = { email: `admin.${tag}@mail.example`, id: '' };
  let victimId = '';

  before(async () => {
    const port = await freePort();
    appUrl = `http://app.stackable.test:${port}`;
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL: appUrl } });
    await app.http.listen({ port, host: '127.0.0.1' });
    const accounts = app.services.accounts;
    admin.id = await accounts.createUser(app.database.db, {
      email: admin.email,
      name: 'Avery Admin',
      password: DEMO_PASSWORD,
      roles: ['admin'],
    });
    victimId = await accounts.createUser(app.database.db, {
      email: `mallory.${tag}@mail.example`,
      name: 'Mallory Plain',
      password: DEMO_PASSWORD,
      roles: [],
    });

    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(attackPage(appUrl, victimId, tag));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://evil.stackable.test:${(attacker.address() as AddressInfo).port}/`;
    browser = await launchChromium(['--host-resolver-rules=MAP *.stackable.test 127.0.0.1']);
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await app?.close();
  });

  test("the attacker's page changes nothing for a signed-in administrator", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, appUrl, admin.email, DEMO_PASSWORD);

    // Lax cookies: the sibling's requests below carry them, which is what makes the forgery possible at all.
    const cookies = await context.cookies(appUrl);
    assert.ok(cookies.some((c) => c.name === 'stackable_session' && c.sameSite === 'Lax'));

    await page.goto(attackerUrl);
    await page.waitForFunction(() => document.title === 'attack finished', undefined, { timeout: 20_000 });

    const db = app.database.db;
    const forged = await db
      .selectFrom('users')
      .select('email')
      .where('email', 'like', `forged%.${tag}@%`)
      .execute();
    assert.deepEqual(forged, [], 'the attacker created accounts');
    const victimRoles = await db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', victimId)
      .execute();
    assert.deepEqual(victimRoles, [], 'the attacker granted roles');

    // Still signed in: the forged sign-out was refused too.
    await page.goto(`${appUrl}/admin/users`);
    assert.match(page.url(), /\/admin\/users$/);
    await page.getByRole('heading', { name: 'People and roles' }).waitFor();
    await context.close();
  });

  test('the same administrator can still use the real form', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, appUrl, admin.email, DEMO_PASSWORD);
    await page.goto(`${appUrl}/admin/users`);
    const email = `real.${tag}@mail.example`;
    const invite = page.locator('form[method="post"][action="/admin/users"]');
    await invite.getByLabel('Full name').fill('Real Invitee');
    await invite.getByLabel('E-mail address').fill(email);
    await invite.getByLabel('Learner').check();
    await Promise.all([
      page.waitForURL(/saved=invited/),
      invite.getByRole('button', { name: 'Send the invitation' }).click(),
    ]);
    const made = await app.database.db
      .selectFrom('users')
      .select('email')
      .where('email', '=', email)
      .execute();
    assert.equal(made.length, 1);
    await context.close();
  });
});
