import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD, loadDemoUniversity } from '../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

describe('foundation in Chromium', () => {
  const served = useServedApp({ runJobs: false });

  test('the public home, sign-in and 404 pages are accessible and work without JavaScript', async () => {
    const context = await served.browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/`);
    assert.match(await page.title(), /Micro-credentials/);
    await page.getByRole('link', { name: 'Skip to main content' }).focus();
    await context.close();

    const withJs = await served.browser.newContext({ bypassCSP: true });
    const p = await withJs.newPage();
    for (const [path, name] of [
      ['/', 'public-home'],
      ['/login', 'login'],
      ['/password/forgot', 'forgot-password'],
      ['/no-such-page', 'not-found'],
    ] as const) {
      await p.goto(`${served.baseUrl}${path}`);
      await checkPage(p, name);
    }
    await withJs.close();
  });

  test('the layout fits a phone screen', async () => {
    const context = await served.browser.newContext({
      viewport: { width: 375, height: 740 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await checkPage(page, 'public-home-phone');
    await context.close();
  });

  test('each demo role signs in and reaches its home', async () => {
    const { users } = loadDemoUniversity();
    for (const user of users) {
      const context = await served.browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, user.email, DEMO_PASSWORD);
      await page.getByRole('heading', { name: `Welcome, ${user.name}` }).waitFor();
      await checkPage(page, `home-${user.roles.join('-')}-${user.email.split('@')[0]}`);
      if (user.roles.includes('admin')) {
        await page.goto(`${served.baseUrl}/admin/users`);
        await checkPage(page, 'admin-users');
        await page.goto(`${served.baseUrl}/admin/audit`);
        assert.ok((await page.getByText('account.login').count()) > 0, 'the audit log shows sign-ins');
        await checkPage(page, 'admin-audit');
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login/);
      await context.close();
    }
  });

  test('a wrong password gets a clear message on the page', async () => {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/login`);
    await page.getByLabel('E-mail address').fill('learner@cascaderidge.example');
    await page.getByLabel('Password').fill('definitely wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('do not match an active account').waitFor();
    await checkPage(page, 'login-failed');
    await context.close();
  });
});
