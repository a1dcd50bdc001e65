// The outbox page headed its first column "Created (UTC)" while each time in it was written in the institution's
// zone, with that zone's name ("10:57 CST"): staff read a Chicago time as UTC.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aStaffMember } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`the outbox page's times on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({
      runJobs: false,
      env: { STACKABLE_TIME_ZONE: 'America/Chicago' },
    });
    await app.database.db.transaction().execute((trx) =>
      app.services.notifications.queueMail(trx, {
        to: 'outbox.page@mail.example',
        subject: 'Outbox page times',
        text: 'A message to list.',
        kind: 'test',
      }),
    );
  });
  after(() => app.close());

  test('the heading does not call the institution’s local times UTC', async () => {
    const admin = await (await aStaffMember(app, 'admin')).signIn();
    const page = textOf((await admin.get('/admin/mail')).body);
    // The database stamps the message, so the test knows its zone, not its minute.
    assert.match(page, /Created To .*, \d{2}:\d{2} C[SD]T outbox\.page@mail\.example/);
    assert.doesNotMatch(page, /\(UTC\)/);
  });
});
