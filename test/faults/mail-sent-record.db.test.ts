// Issue 15: a message the SMTP server accepted just as the database went away stayed claimed but unrecorded, and
// once its claim ran out the stuck-mail watch sent it again. The delivery now keeps trying to record it while its
// claim holds, and every attempt carries the same Message-ID.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { startSmtp } from '../support/backpack.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import type { TestApp } from '../support/test-app.ts';
import { openTestDatabase, testBackend } from '../support/test-database.ts';
import { testAppEnv } from '../support/test-snapshots.ts';

const OUTAGE_MS = 2_000;

describe(`the database goes away just after the mail server accepted a message (${testBackend})`, {
  skip:
    testBackend !== 'postgres' &&
    'needs a PostgreSQL server (DATABASE_URL): PGlite runs inside the process and cannot be cut off from it',
}, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-mail-fault-'));
  let direct: Awaited<ReturnType<typeof openTestDatabase>>;
  let proxy: TcpProxy;
  let throughProxy: Database;
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let restored: Promise<void> | undefined;

  before(async () => {
    direct = await openTestDatabase({ start: 'migrated' });
    const url = new URL(direct.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    throughProxy = await openDatabase({ kind: 'postgres', url: url.toString() });
    // The server takes the message, and at that moment the app loses its database for two seconds.
    smtp = await startSmtp({
      replyTo: (recipient) => {
        if (recipient.startsWith('cut.')) {
          proxy.cut();
          restored = new Promise((resolve) =>
            setTimeout(() => {
              proxy.restore();
              resolve();
            }, OUTAGE_MS),
          );
        }
        return undefined;
      },
    });
    app = (await createApp(loadConfig(testAppEnv(dataDir)), {
      database: throughProxy,
      runJobs: false,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@mail.example.edu>'),
    })) as TestApp;
  });
  after(async () => {
    await app?.close().catch(() => undefined);
    await smtp?.close();
    await proxy?.close();
    await direct?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the delivery records the message as sent once the database is back, and it is never sent twice', async () => {
    const notifications = app.services.notifications;
    const id = await app.database.db.transaction().execute((trx) =>
      notifications.queueMail(trx, {
        to: 'cut.learner@mail.example',
        subject: 'Reset',
        text: 'x',
        kind: 'password_reset',
      }),
    );

    const outcome = await notifications.deliver(id);
    assert.equal(outcome.status, 'sent');
    assert.ok(restored, 'the outage happened while the message was sent');
    const row = await direct.database.db
      .selectFrom('mail_outbox')
      .select(['status', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'sent', attempts: 1 });

    // A second delivery of the same message (the job retried, the watch looked) finds nothing to send.
    assert.equal((await notifications.deliver(id)).status, 'not_queued');
    assert.equal(smtp.received.length, 1);
    assert.match(smtp.received[0]!.raw, new RegExp(`^Message-ID: <${id}@mail\\.example\\.edu>`, 'mi'));
  });
});
