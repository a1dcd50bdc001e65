import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { anInstitution, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

/** The visible cells of each entry's row: everything before its folded details. */
const visibleRows = (html: string) =>
  [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]!.replace(/<details>.*?<\/details>/gs, ''));

describe(`the audit log page on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;
  let lead: Person;
  let browser: BrowserSession;
  let programId: string;
  let otherId: string;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    await app.database.db.updateTable('institution').set({ time_zone: 'America/Vancouver' }).execute();
    app.services.institution.forget();
    admin = await aStaffMember(app, 'admin', { name: 'Ada Admin' });
    lead = await aStaffMember(app, 'program_lead', { name: 'Lena Lead' });
    programId = (await aProgram(app, { title: 'Audited Analytics', lead })).id;
    otherId = (await aProgram(app, { title: 'Other Optics', lead })).id;
    const db = app.database.db;
    await app.services.audit.record(db, lead, {
      action: 'program.submit',
      entityType: 'program',
      entityId: programId,
    });
    await app.services.audit.record(db, admin, {
      action: 'program.approve_pilot',
      entityType: 'program',
      entityId: otherId,
    });
    await app.services.audit.record(db, admin, {
      action: 'account.roles_changed',
      entityType: 'user',
      entityId: lead.id,
    });
    browser = await admin.signIn();
  });
  after(() => app.close());

  test('actions read as words, and people and programs by name, not codes or identifiers', async () => {
    const rows = visibleRows((await browser.get('/admin/audit')).body);
    const submitted = rows.find((r) => r.includes('Submitted for pilot approval'));
    assert.ok(submitted, 'the action is in words');
    assert.match(submitted, /Lena Lead/);
    assert.match(submitted, new RegExp(`<a href="/programs/${programId}">Audited Analytics</a>`));
    assert.doesNotMatch(submitted, /program\.submit|@builders\.example/);
    const roles = rows.find((r) => r.includes('Roles changed'));
    assert.ok(roles);
    assert.match(roles, /Person: <span>Lena Lead<\/span>/);
    for (const row of rows) {
      const text = row.replace(/<[^>]+>/g, ' ');
      assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, text);
    }
  });

  test('filters by program and by person, with a plain GET form', async () => {
    const page = (await browser.get('/admin/audit')).body;
    assert.match(page, /<form method="get" action="\/admin\/audit"/);
    assert.match(page, new RegExp(`<option value="${programId}">Audited Analytics</option>`));
    const byProgram = visibleRows((await browser.get(`/admin/audit?program=${programId}`)).body);
    assert.equal(byProgram.filter((r) => r.includes('<td')).length, 1);
    assert.match(byProgram.find((r) => r.includes('<td'))!, /Audited Analytics/);
    const byPerson = visibleRows((await browser.get('/admin/audit?actor=Lena')).body).filter((r) =>
      r.includes('<td'),
    );
    assert.ok(byPerson.length >= 1);
    assert.ok(byPerson.every((r) => r.includes('Lena Lead')));
  });

  test('a date range counts days where the institution is', async () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC-11) are never on the same calendar day.
    const dayIn = (timeZone: string) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date());
    const day = dayIn('Pacific/Kiritimati');
    const list = (timeZone: string) =>
      app.services.audit.list({ from: day, to: day, timeZone, action: 'program.', limit: 10, offset: 0 });
    assert.equal((await list('Pacific/Kiritimati')).length, 2, 'today where the institution is');
    assert.equal((await list('Pacific/Pago_Pago')).length, 0, 'not yet that day elsewhere');
    const refused = await browser.get('/admin/audit?from=yesterday');
    assert.equal(refused.statusCode, 400);
  });
});
