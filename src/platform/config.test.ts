import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const secret = 'x'.repeat(40);

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a configuration error');
}

describe('configuration', () => {
  test('a bad PORT names the variable and the problem', () => {
    const error = configError({ PORT: 'eighty', STACKABLE_SECRET: secret });
    assert.equal(error.variable, 'PORT');
    assert.match(error.message, /^PORT: /);
  });

  test('a port above 65535 is refused', () => {
    assert.equal(configError({ PORT: '70000', STACKABLE_SECRET: secret }).variable, 'PORT');
  });

  test('DATABASE_URL must be a postgres URL', () => {
    const error = configError({ DATABASE_URL: 'mysql://x', STACKABLE_SECRET: secret });
    assert.equal(error.variable, 'DATABASE_URL');
    assert.match(error.message, /postgres:\/\//);
  });

  test('DATABASE_POOL_SIZE sets the connections per process, 20 unless said, and must be a sensible number', () => {
    const url = 'postgres://db.example/stackable';
    const poolOf = (env: Record<string, string>) => {
      const { database } = loadConfig({ DATABASE_URL: url, STACKABLE_SECRET: secret, ...env });
      return database.kind === 'postgres' ? database.poolSize : undefined;
    };
    assert.equal(poolOf({}), 20);
    assert.equal(poolOf({ DATABASE_POOL_SIZE: '40' }), 40);
    for (const bad of ['0', '1', 'many', '2.5', '501']) {
      assert.equal(
        configError({ DATABASE_URL: url, STACKABLE_SECRET: secret, DATABASE_POOL_SIZE: bad }).variable,
        'DATABASE_POOL_SIZE',
      );
    }
  });

  test('a short secret is refused', () => {
    assert.equal(configError({ STACKABLE_SECRET: 'short' }).variable, 'STACKABLE_SECRET');
  });

  test('production requires a secret', () => {
    const error = configError({ NODE_ENV: 'production' });
    assert.equal(error.variable, 'STACKABLE_SECRET');
    assert.match(error.message, /required/);
  });

  test('PostgreSQL requires a shared secret', () => {
    assert.equal(configError({ DATABASE_URL: 'postgres://localhost/x' }).variable, 'STACKABLE_SECRET');
  });

  test('the time zone and the reminders cron have defaults and are checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackable-config-'));
    try {
      const config = loadConfig({ STACKABLE_SECRET: secret, STACKABLE_DATA_DIR: dir });
      assert.equal(config.timeZone, 'UTC');
      assert.equal(config.remindersCron, '0 7 * * *');
      const set = loadConfig({
        STACKABLE_SECRET: secret,
        STACKABLE_DATA_DIR: dir,
        STACKABLE_TIME_ZONE: 'America/Vancouver',
        STACKABLE_REMINDERS_CRON: '30 6 * * 1-5',
      });
      assert.equal(set.timeZone, 'America/Vancouver');
      assert.equal(set.remindersCron, '30 6 * * 1-5');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const zone = configError({ STACKABLE_SECRET: secret, STACKABLE_TIME_ZONE: 'Mars/Olympus' });
    assert.equal(zone.variable, 'STACKABLE_TIME_ZONE');
    const cron = configError({ STACKABLE_SECRET: secret, STACKABLE_REMINDERS_CRON: 'every morning' });
    assert.equal(cron.variable, 'STACKABLE_REMINDERS_CRON');
    assert.match(cron.message, /five-field cron/);
  });

  test('several app processes need a shared PostgreSQL; auto is one per core', () => {
    const pg = { STACKABLE_SECRET: secret, DATABASE_URL: 'postgres://db.example/stackable' };
    assert.equal(loadConfig(pg).processes, 1);
    assert.equal(loadConfig({ ...pg, STACKABLE_PROCESSES: '3' }).processes, 3);
    assert.equal(loadConfig({ ...pg, STACKABLE_PROCESSES: 'auto' }).processes, availableParallelism());
    for (const bad of ['0', 'two', '1.5']) {
      assert.equal(configError({ ...pg, STACKABLE_PROCESSES: bad }).variable, 'STACKABLE_PROCESSES', bad);
    }
    const embedded = configError({ STACKABLE_SECRET: secret, STACKABLE_PROCESSES: '2' });
    assert.equal(embedded.variable, 'STACKABLE_PROCESSES');
    assert.match(embedded.message, /needs DATABASE_URL/);
  });

  test('the stall watch waits half a minute and looks every 10 s unless told otherwise', () => {
    const pg = { STACKABLE_SECRET: secret, DATABASE_URL: 'postgres://db.example/stackable' };
    assert.equal(loadConfig(pg).stallAfterMs, 30_000);
    assert.equal(loadConfig(pg).stallCheckMs, 10_000);
    const short = loadConfig({ ...pg, STACKABLE_STALL_AFTER_MS: '6000', STACKABLE_STALL_CHECK_MS: '1000' });
    assert.deepEqual([short.stallAfterMs, short.stallCheckMs], [6000, 1000]);
    const tooShort = configError({ ...pg, STACKABLE_STALL_AFTER_MS: '10' });
    assert.equal(tooShort.variable, 'STACKABLE_STALL_AFTER_MS');
    assert.match(tooShort.message, /at least 1000/);
    assert.equal(
      configError({ ...pg, STACKABLE_STALL_CHECK_MS: 'often' }).variable,
      'STACKABLE_STALL_CHECK_MS',
    );
  });

  test('SMTP_URL must be smtp:// or smtps://', () => {
    assert.equal(configError({ SMTP_URL: 'http://mail', STACKABLE_SECRET: secret }).variable, 'SMTP_URL');
  });

  test('embedded mode generates a secret once and keeps it in the data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackable-config-'));
    try {
      const first = loadConfig({ STACKABLE_DATA_DIR: dir });
      assert.ok(existsSync(join(dir, 'secret')));
      assert.ok(first.secret.length >= 32);
      assert.equal(readFileSync(join(dir, 'secret'), 'utf8').trim(), first.secret);
      assert.equal(loadConfig({ STACKABLE_DATA_DIR: dir }).secret, first.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('defaults: port 3000, PGlite in the data folder, did:key for http, frozen', () => {
    const config = loadConfig({ STACKABLE_SECRET: secret, STACKABLE_DATA_DIR: '/tmp/stackable-defaults' });
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: '/tmp/stackable-defaults/pglite' });
    assert.equal(config.didMethod, 'key');
    assert.ok(Object.isFrozen(config));
  });

  test('an https PUBLIC_URL selects did:web and loses its trailing slash', () => {
    const config = loadConfig({ STACKABLE_SECRET: secret, PUBLIC_URL: 'https://badges.example.edu/' });
    assert.equal(config.publicUrl, 'https://badges.example.edu');
    assert.equal(config.didMethod, 'web');
  });
});
