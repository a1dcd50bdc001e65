// Audit points 3 and 8: a fresh install listened on every interface, and forwarded headers were believed from
// anyone in production. Now it listens on loopback unless HOST says otherwise, and believes only named proxies.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';

const base = {
  STACKABLE_SECRET: 'x'.repeat(40),
  STACKABLE_DATA_DIR: '/nonexistent-unused',
  NODE_ENV: 'production',
};

describe('network defaults', () => {
  test('the server listens on loopback unless HOST says otherwise', () => {
    assert.equal(loadConfig(base).host, '127.0.0.1');
    assert.equal(loadConfig({ ...base, HOST: '' }).host, '127.0.0.1');
    assert.equal(loadConfig({ ...base, HOST: '0.0.0.0' }).host, '0.0.0.0');
  });

  test('no proxy is trusted unless STACKABLE_TRUSTED_PROXIES names it', () => {
    assert.deepEqual(loadConfig(base).trustedProxies, []);
    assert.deepEqual(
      loadConfig({ ...base, STACKABLE_TRUSTED_PROXIES: ' 10.0.0.5, 192.168.0.0/16,fd00::/8 ' })
        .trustedProxies,
      ['10.0.0.5', '192.168.0.0/16', 'fd00::/8'],
    );
  });

  test('a proxy entry that is not an address or range is refused, naming the variable', () => {
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/8/1', '*']) {
      assert.throws(
        () => loadConfig({ ...base, STACKABLE_TRUSTED_PROXIES: bad }),
        (error: unknown) => error instanceof ConfigError && error.variable === 'STACKABLE_TRUSTED_PROXIES',
        bad,
      );
    }
  });
});
