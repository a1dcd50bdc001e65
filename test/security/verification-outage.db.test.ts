import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { type App, createApp } from '../../src/app.ts';
import type { IssuedCredential } from '../../src/credentials/award-credentials.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { TEST_SECRET } from '../support/test-app.ts';
import { openTestDatabase, testBackend } from '../support/test-database.ts';

/**
 * A database connection that drops: the next statements fail the way PostgreSQL fails them when the server shuts
 * down under a session (SQLSTATE 57P01), and the one after that works again, as a pool reconnects.
 */
class DroppingConnection implements KyselyPlugin {
  #drops = 0;
  dropNext(count: number) {
    this.#drops = count;
  }
  transformQuery({ node }: PluginTransformQueryArgs) {
    if (this.#drops > 0) {
      this.#drops -= 1;
      throw Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      });
    }
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs) {
    return result;
  }
}

// Before the fix, a connection dropped while our own status list was read came back as a verdict: a 200 saying
// "not verified, the issuer's status list could not be loaded" about a perfectly good badge of ours.
describe(`a dropped database connection is never a verdict on a badge (${testBackend})`, () => {
  const connection = new DroppingConnection();
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-test-'));
  let app: App;
  let drop: () => Promise<void>;
  let issued: IssuedCredential;

  const apiVerify = () =>
    app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: issued.credential },
    });

  before(async () => {
    const opened = await openTestDatabase();
    drop = opened.drop;
    const config = loadConfig({
      NODE_ENV: 'test',
      STACKABLE_SECRET: TEST_SECRET,
      STACKABLE_DATA_DIR: dataDir,
      PUBLIC_URL: 'http://localhost:3999',
    });
    const database = { ...opened.database, db: opened.database.db.withPlugin(connection) };
    app = await createApp(config, { database, runJobs: false });
    await app.services.demo.seedIfEmpty();
    issued = await app.services.credentials.issueCredential(
      { system: 'outage test' },
      { slug: 'social-media-strategy', learner: { email: 'priya.learner@example.org', name: 'Priya Shah' } },
    );
  });
  after(async () => {
    await app.close().catch(() => undefined);
    await drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the check that meets the dropped connection answers 503, and the next one verifies', async () => {
    assert.equal((await apiVerify()).json().verified, true);
    // Past the status list's one-second freshness, so the next check reads it from the database again.
    await sleep(1100);
    connection.dropNext(1);
    const during = await apiVerify();
    assert.equal(during.statusCode, 503, during.body);
    assert.equal(during.json().code, 'UNAVAILABLE');
    assert.doesNotMatch(during.body, /administrator command|57P01|"verified"/);

    const afterwards = await apiVerify();
    assert.equal(afterwards.statusCode, 200);
    assert.equal(afterwards.json().verified, true);
  });
});
