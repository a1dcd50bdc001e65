import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDccRegistry } from './dcc-registry.ts';

test('a DCC registry gives each DID with its name, address and place', () => {
  const reading = readDccRegistry(
    JSON.stringify({
      meta: { created: '2026-01-01T00:00:00Z' },
      registry: {
        'did:web:one.example': { name: ' One College ', url: 'https://one.example', location: 'Here' },
        'did:key:z6MkTwo': { name: 'Two', url: 'javascript:alert(1)' },
        'not-a-did': { name: 'Skipped' },
        'did:web:nameless.example': { url: 'https://nameless.example' },
      },
    }),
  );
  assert.deepEqual(reading, {
    ok: true,
    entries: [
      { did: 'did:web:one.example', name: 'One College', url: 'https://one.example', location: 'Here' },
      { did: 'did:key:z6MkTwo', name: 'Two', url: null, location: null },
    ],
  });
});

test('a file that is not a registry says why', () => {
  assert.deepEqual(readDccRegistry('<html>'), { ok: false, problem: 'The registry is not JSON.' });
  for (const body of ['[]', '{}', '{"registry": []}', '{"registry": "x"}']) {
    const reading = readDccRegistry(body);
    assert.equal(reading.ok, false, body);
    assert.match(reading.ok ? '' : reading.problem, /no "registry" object/);
  }
});
