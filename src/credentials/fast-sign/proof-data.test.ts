import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProofOptionsHashes } from './proof-data.ts';

const CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
];

const options = (): Record<string, unknown> => ({
  '@context': [...CONTEXT],
  type: 'DataIntegrityProof',
  created: '2026-12-06T07:28:04Z',
  cryptosuite: 'eddsa-rdfc-2022',
  proofPurpose: 'assertionMethod',
  verificationMethod: 'did:web:badges.example#key-1',
});

/** Asks for the hash of `asked` and says whether `compute` ran (a remembered hash is not computed again). */
async function computes(hashes: ProofOptionsHashes, asked: Record<string, unknown>): Promise<boolean> {
  let ran = false;
  await hashes.get(asked, async () => {
    ran = true;
    return Buffer.alloc(32, 1);
  });
  return ran;
}

test('equal proof options, in another object, get the hash computed before', async () => {
  const hashes = new ProofOptionsHashes(8);
  assert.equal(await computes(hashes, options()), true);
  assert.equal(await computes(hashes, options()), false);
  assert.deepEqual(hashes.peek(options()), Buffer.alloc(32, 1));
});

test('options that differ in one value, one context, the order or the number of fields are computed anew', async () => {
  const variants: Record<string, unknown>[] = [
    { ...options(), created: '2026-12-06T07:28:05Z' },
    { ...options(), verificationMethod: 'did:web:badges.example#key-2' },
    { ...options(), '@context': [CONTEXT[0]!, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json'] },
    { ...options(), '@context': [...CONTEXT, 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json'] },
    { ...options(), '@context': CONTEXT[0] },
    { ...options(), expires: '2027-12-06T07:28:04Z' },
    { created: '2026-12-06T07:28:04Z', ...options() },
  ];
  for (const variant of variants) {
    const hashes = new ProofOptionsHashes(8);
    await computes(hashes, options());
    assert.equal(hashes.peek(variant), undefined, JSON.stringify(variant));
    assert.equal(await computes(hashes, variant), true, JSON.stringify(variant));
  }
});

test('a change to the caller’s context list afterwards does not change what was remembered', async () => {
  const hashes = new ProofOptionsHashes(8);
  const first = options();
  await computes(hashes, first);
  (first['@context'] as string[])[1] = 'https://example.org/other-context.json';
  assert.equal(await computes(hashes, first), true);
  assert.equal(await computes(hashes, options()), false);
});

test('options holding anything but strings and lists of strings are never remembered', async () => {
  for (const odd of [
    { ...options(), domain: undefined },
    { ...options(), nonce: 7 },
    { ...options(), x: {} },
  ]) {
    const hashes = new ProofOptionsHashes(8);
    assert.equal(await computes(hashes, odd), true);
    assert.equal(await computes(hashes, odd), true);
    assert.equal(hashes.peek(odd), undefined);
  }
});

test('the oldest options are forgotten past capacity, and a failed computation is not kept', async () => {
  const hashes = new ProofOptionsHashes(2);
  const at = (second: number) => ({ ...options(), created: `2026-12-06T07:28:0${second}Z` });
  await computes(hashes, at(1));
  await computes(hashes, at(2));
  await computes(hashes, at(3));
  assert.equal(await computes(hashes, at(1)), true);
  assert.equal(await computes(hashes, at(3)), false);

  const failing = new ProofOptionsHashes(2);
  await assert.rejects(failing.get(options(), () => Promise.reject(new Error('no context'))));
  assert.equal(await computes(failing, options()), true);
});
