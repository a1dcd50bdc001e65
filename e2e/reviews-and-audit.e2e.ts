import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  aCourse,
  aDepartment,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';

/** The page fits the window's width: nothing scrolls sideways. */
async function assertNoSidewaysScroll(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 8)
      .map((e) => `${e.tagName}.${e.className}`),
  );
  assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the window: ${wide.join(' ')}`);
}

describe('what is due, periodic reviews, the audit log and long staff lists in Chromium', () => {
  // 2026-10-06: a program established on 2022-09-01, reviewed every 3 years, owed its first review on 2025-08-31.
  const served = useServedApp({ seed: false, runJobs: false, clock: fixedClock('2026-10-06T12:00:00Z') });
  let lead: Person;
  let admin: Person;
  let office: Person;
  let lateId: string;

  before(async () => {
    const app = served.app;
    await anInstitution(app);
    await app.database.db.updateTable('institution').set({ periodic_review_years: 3 }).execute();
    app.services.institution.forget();
    lead = await aStaffMember(app, 'program_lead', { name: 'Priya Busylead' });
    admin = await aStaffMember(app, 'admin', { name: 'Ada Auditor' });
    office = await aStaffMember(app, 'credentials_office', { name: 'Omar Office' });
    const department = (await aDepartment(app, { name: 'Media Arts' })).code;
    const courses = [(await aCourse(app)).code, (await aCourse(app)).code];
    lateId = (
      await aProgram(app, {
        title: 'Documentary Field Production and Post-Production Workflows',
        lead,
        department,
        courses,
        establishedOn: '2022-09-01',
      })
    ).id;
    for (let i = 2; i <= 30; i++) {
      await aProgram(app, {
        title: `Media Program ${String(i).padStart(2, '0')}`,
        lead: i <= 23 ? lead : null,
        department,
        courses,
        establishedOn: '2026-05-01',
      });
    }
    await app.services.audit.record(app.database.db, lead, {
      action: 'program.edited',
      entityType: 'program',
      entityId: lateId,
    });
  });

  test('a lead with 23 programs sees what is overdue at the top of their home, on a desktop and a phone', async () => {
    for (const [width, height, name] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      const context = await served.browser.newContext({ viewport: { width, height }, bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, lead.email, TEST_PASSWORD);
      await page.getByRole('heading', { name: 'Overdue on your programs (1)' }).waitFor();
      await page.getByRole('heading', { name: 'Programs I lead (23)' }).waitFor();
      assert.equal(await page.getByRole('row').count(), 11, 'ten programs and the header row');
      await assertNoSidewaysScroll(page, `the lead's home (${name})`);
      await checkPage(page, `lead-home-due-${name}`);
      await page.getByRole('link', { name: 'More programs' }).click();
      await page.getByText('Page 2 of 3', { exact: true }).waitFor();
      await checkPage(page, `lead-home-page-2-${name}`);
      await page.goto(`${served.baseUrl}/home`);
      await page
        .getByRole('link', { name: /Periodic review 1 \(September 1, 2022 to August 31, 2025\)/ })
        .click();
      await page.getByRole('heading', { name: /Periodic review 1: Documentary Field Production/ }).waitFor();
      await assertNoSidewaysScroll(page, `the periodic review (${name})`);
      await checkPage(page, `periodic-review-${name}`);
      await context.close();
    }
  });

  test('the audit log reads in words and filters by program without JavaScript', async () => {
    for (const [width, height, name] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      const context = await served.browser.newContext({
        viewport: { width, height },
        javaScriptEnabled: false,
        bypassCSP: true,
      });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, admin.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/admin/audit`);
      await page.getByRole('cell', { name: 'Signed in' }).first().waitFor();
      await page
        .getByLabel('Program')
        .selectOption({ label: 'Documentary Field Production and Post-Production Workflows' });
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/program=/);
      await page.getByRole('cell', { name: 'Proposal edited' }).waitFor();
      assert.equal(
        await page.getByRole('cell', { name: 'Signed in' }).count(),
        0,
        'only that program’s entries',
      );
      await page
        .getByRole('link', { name: 'Documentary Field Production and Post-Production Workflows' })
        .waitFor();
      const filtered = page.url();
      await context.close();
      // axe needs JavaScript: the same filtered page, checked in a context that runs it.
      const checking = await served.browser.newContext({ viewport: { width, height }, bypassCSP: true });
      const checked = await checking.newPage();
      await signIn(checked, served.baseUrl, admin.email, TEST_PASSWORD);
      await checked.goto(filtered);
      await checkPage(checked, `audit-log-filtered-${name}`);
      await checking.close();
    }
  });

  test('the office pages through the programs list and reads an established program by its sections', async () => {
    for (const [width, height, name] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      const context = await served.browser.newContext({ viewport: { width, height }, bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, office.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/programs`);
      await page.getByText('Page 1 of 2', { exact: true }).waitFor();
      await checkPage(page, `programs-list-${name}`);
      await page.getByRole('link', { name: 'More programs' }).click();
      await page.getByText('Page 2 of 2', { exact: true }).waitFor();
      await page.goto(`${served.baseUrl}/programs/${lateId}`);
      await page.getByRole('link', { name: 'Periodic reviews' }).waitFor();
      await page.getByText('Show the proposal as it was approved').waitFor();
      await assertNoSidewaysScroll(page, `the program page (${name})`);
      await checkPage(page, `established-program-${name}`);
      await page.goto(`${served.baseUrl}/programs/overdue`);
      await page.getByRole('link', { name: /Periodic review 1/ }).waitFor();
      await checkPage(page, `overdue-reviews-${name}`);
      await context.close();
    }
  });
});
