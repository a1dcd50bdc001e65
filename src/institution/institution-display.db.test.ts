import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { dueRemindersJob } from '../programs/pilot-reviews.service.ts';

// 06:30 UTC on 25 November is still the evening of the 24th in Vancouver (UTC-8 in winter).
const NOW = '2026-11-25T06:30:00Z';

/** A whole profile that passes every check; tests change the fields they are about. */
const profile = (over: Record<string, string> = {}) => ({
  name: 'Fraser Valley Institute',
  shortName: 'FVI',
  url: 'https://fraser.example',
  email: 'badges@fraser.example',
  timeZone: 'America/Vancouver',
  academicYearStartMonth: '9',
  primaryColour: '#1d4b3a',
  accentColour: '#e0a526',
  defaultFee: '10',
  currency: 'EUR',
  ...over,
});

describe(`the institution's time zone and currency on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock(NOW) });
    admin = await aStaffMember(app, 'admin');
    await anInstitution(app);
    await app.services.institution.updateProfile(admin, profile());
  });
  after(() => app.close());

  test('an issued badge’s record shows its moment in the institution’s zone and its fee in its currency', async () => {
    const program = await aProgram(app, { feeCents: 2550 });
    const { credentialId } = await anIssuedBadge(app, { program, issuer: admin });
    const page = await (await admin.signIn()).get(`/issuing/badges/${credentialId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /November 24, 2026, 22:30 PST/);
    assert.doesNotMatch(page.body, /November 25, 2026, 06:30 UTC/);
    assert.match(page.body, /€25\.50/);
    assert.doesNotMatch(page.body, /\$25\.50/);
  });

  test('a program page shows its fee in the institution’s currency', async () => {
    const program = await aProgram(app, { feeCents: 125_000 });
    const page = await (await admin.signIn()).get(`/programs/${program.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /€1,250\.00/);
  });

  test('a changed currency shows on the next page', async () => {
    await app.services.institution.updateProfile(admin, profile({ currency: 'CAD' }));
    try {
      const program = await aProgram(app, { feeCents: 4200 });
      const { credentialId } = await anIssuedBadge(app, { program, issuer: admin });
      const page = await (await admin.signIn()).get(`/issuing/badges/${credentialId}`);
      assert.match(page.body, /CA\$42\.00/);
    } finally {
      await app.services.institution.updateProfile(admin, profile());
    }
  });

  test('the revocation e-mail names the day in the institution’s zone', async () => {
    const { credentialId, learner } = await anIssuedBadge(app, { issuer: admin });
    await app.services.credentials.changeStatus(admin, credentialId, 'revoke', 'Issued in error.', {
      category: 'issued_in_error',
    });
    const revoked = (await app.services.notifications.list({ to: learner.email })).find((m) =>
      m.subject.includes('revoked'),
    );
    assert.ok(revoked, 'a revocation mail was queued');
    assert.match(revoked.text_body, /on November 24, 2026\b/);
  });

  test('"today" for pilot reviews is the date in the institution’s zone', async () => {
    const dashboard = await app.services.pilotReviews.dueDashboard(admin);
    assert.equal(dashboard.today, '2026-11-24');
  });

  test('the reminder run’s cron follows the institution’s zone, also after it changes', async () => {
    const zoneOf = async () =>
      (await app.jobs.schedules()).find((s) => s.name === dueRemindersJob.name)?.timeZone;
    await app.jobs.refreshSchedules();
    assert.equal(await zoneOf(), 'America/Vancouver');
    await app.services.institution.updateProfile(admin, profile({ timeZone: 'Europe/Lisbon' }));
    try {
      assert.equal(await zoneOf(), 'Europe/Lisbon');
    } finally {
      await app.services.institution.updateProfile(admin, profile());
    }
  });
});

describe(`an institution without a time zone of its own on ${testBackend}`, () => {
  test('dates fall back to STACKABLE_TIME_ZONE', async () => {
    const app = await startTestApp({
      runJobs: false,
      clock: fixedClock(NOW),
      env: { STACKABLE_TIME_ZONE: 'Asia/Tokyo' },
    });
    try {
      // The builder leaves the institution's time zone empty, as a database set up before the setting was.
      await anInstitution(app);
      const admin = await aStaffMember(app, 'admin');
      const { credentialId } = await anIssuedBadge(app, { issuer: admin });
      const page = await (await admin.signIn()).get(`/issuing/badges/${credentialId}`);
      assert.match(page.body, /November 25, 2026, 15:30 GMT\+9/);
      assert.equal((await app.services.institution.display()).timeZone, 'Asia/Tokyo');
    } finally {
      await app.close();
    }
  });
});
