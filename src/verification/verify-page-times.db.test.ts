import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anIssuedBadge, aProgram } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`the verify page writes every moment in the institution's time zone on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({
      runJobs: false,
      clock: fixedClock('2026-11-25T15:00:00Z'),
      env: { STACKABLE_TIME_ZONE: 'America/Los_Angeles' },
    });
  });
  after(() => app?.close());

  test("the checks' sentences and the badge's facts name the same local moments, and none in UTC", async () => {
    const program = await aProgram(app, { validityYears: 2 });
    const { credentialId } = await anIssuedBadge(app, { program });
    const page = await new BrowserSession(app).get(`/verify?credential=urn:uuid:${credentialId}`);
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    // 15:00 UTC on November 25 is 07:00 in Los Angeles (PST).
    assert.match(text, /Valid from November 25, 2026, 07:00 PST/);
    assert.match(
      text,
      /This badge is valid since November 25, 2026, 07:00 PST, until November 2\d, 2028, \d\d:\d\d PST\./,
    );
    assert.doesNotMatch(text, /UTC/);
  });
});
