// Issue 14 polish: the administration index and the staff bar's Admin section are the way into every settings
// screen. They must open only to people who may use at least one of those screens, and must never offer a screen
// that would then refuse the person (or, read the other way, a screen's door must not be wider than its link).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/platform/roles.ts';
import { anAccount, anInstitution } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const allRoles: Role[] = [
  'learner',
  'program_lead',
  'approver',
  'signer',
  'credentials_office',
  'registrar',
  'bursar',
  'admin',
];

const linksUnder = (html: string, pattern: RegExp) =>
  [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!).filter((href) => pattern.test(href));

describe(`administration navigation follows the screens' own rules, on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ seed: false, runJobs: false });
    await anInstitution(app);
  });
  after(() => app.close());

  test('visitors are sent to sign in and roles with no settings screen are refused the index', async () => {
    const anonymous = await app.http.inject({ url: '/admin' });
    assert.equal(anonymous.statusCode, 303);
    for (const role of ['learner', 'program_lead', 'approver', 'signer', 'bursar'] as const) {
      const browser = await (await anAccount(app, { roles: [role] })).signIn();
      assert.equal((await browser.get('/admin')).statusCode, 403, role);
      assert.doesNotMatch((await browser.get('/help')).body, /href="\/admin"/, role);
    }
  });

  test('for every role, each screen the index lists opens, and each settings screen it leaves out refuses', async () => {
    const admin = await (await anAccount(app, { roles: ['admin'] })).signIn();
    const everyScreen = linksUnder((await admin.get('/admin')).body, /^\/(admin\/|certificates$)/);
    assert.ok(everyScreen.length >= 11, everyScreen.join(' '));
    for (const role of allRoles) {
      const browser = await (await anAccount(app, { roles: [role] })).signIn();
      const index = await browser.get('/admin');
      const listed = index.statusCode === 200 ? linksUnder(index.body, /^\/(admin\/|certificates$)/) : [];
      for (const href of everyScreen) {
        const status = (await browser.get(href)).statusCode;
        assert.equal(status, listed.includes(href) ? 200 : 403, `${role} ${href}`);
      }
      // The staff bar shows the Admin section exactly when the index has something to offer.
      const bar = /<nav class="staff-nav"[\s\S]*?<\/nav>/.exec((await browser.get('/help')).body)?.[0] ?? '';
      assert.equal(bar.includes('href="/admin"'), listed.length > 0, role);
    }
  });
});
