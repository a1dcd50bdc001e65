import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, test } from 'node:test';
import { testInstitutionNames } from '../../../test/support/institution-names.ts';
import { TEST_SECRET } from '../../../test/support/test-snapshots.ts';
import { loadConfig } from '../config.ts';
import { unavailable } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { buildHttpServer } from './server.ts';

// Found in a walk-through of issue 15: with PostgreSQL hanging (not refusing), a page took about 10 s to say the
// service was unavailable, since drawing the error page asked the database for the institution's name and waited
// out a second connection timeout.
describe('the page saying the database is unavailable', () => {
  test('is drawn without asking the database again', async () => {
    let asked = 0;
    const config = loadConfig({
      NODE_ENV: 'test',
      STACKABLE_SECRET: TEST_SECRET,
      STACKABLE_DATA_DIR: tmpdir(),
    });
    const { app } = await buildHttpServer(config, createLogger('silent'), {
      // A session lookup that finds the database gone, as every request with a cookie makes first.
      resolveSession: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
      institutionNames: async () => {
        asked += 1;
        return testInstitutionNames();
      },
    });
    app.get('/records', { config: { access: 'public' } }, async () => {
      throw unavailable('This service cannot reach its records just now.', new Error('timeout'));
    });
    await app.ready();
    try {
      const fromRoute = await app.inject({ url: '/records' });
      assert.equal(fromRoute.statusCode, 503);
      assert.match(fromRoute.body, /cannot reach its records/);
      const fromSession = await app.inject({
        url: '/records',
        cookies: { stackable_session: 'some-session' },
      });
      assert.equal(fromSession.statusCode, 503);
      assert.equal(asked, 0, 'the institution was not asked for');
      // Any other error page still carries the institution's name.
      assert.match((await app.inject({ url: '/no-such-page' })).body, /Test University/);
      assert.equal(asked, 1);
    } finally {
      await app.close();
    }
  });
});
