import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_BADGE_BYTES } from './read-presented-badge.ts';
import {
  CHECK_ORDER,
  type PresentedBadge,
  type VerificationResult,
  type VerifierDeps,
} from './verification-types.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

const deps: VerifierDeps = {
  now: new Date('2026-06-01T00:00:00Z'),
  resolveDid: async () => null,
  fetchStatusList: async () => null,
  ourIssuerDids: [],
};

function assertRefused(result: VerificationResult, message: RegExp): void {
  assert.equal(result.verified, false);
  assert.deepEqual(
    result.checks.map((check) => check.id),
    CHECK_ORDER,
  );
  const [format, ...rest] = result.checks;
  assert.equal(format?.status, 'failed');
  assert.match(format?.message ?? '', message);
  assert.ok(rest.every((check) => check.status === 'skipped'));
  assert.equal(result.credential, undefined);
}

const cyclic: Record<string, unknown> = { type: ['VerifiableCredential'] };
cyclic.self = cyclic;

const cases: [string, PresentedBadge, RegExp][] = [
  ['text that is not JSON', { kind: 'json', text: '{"name": "unterminated' }, /not valid JSON/],
  ['an empty paste', { kind: 'text', text: '   ' }, /empty/],
  ['a JSON array', { kind: 'json', text: '[{"type": "VerifiableCredential"}]' }, /a list/],
  ['a JSON number', { kind: 'json', text: '42' }, /single value/],
  ['a JSON string', { kind: 'json', text: '"hello"' }, /single value/],
  ['JSON null', { kind: 'json', text: 'null' }, /single value/],
  ['an object without a context', { kind: 'object', value: { name: 'x' } }, /not a verifiable credential/],
  [
    'a presentation',
    {
      kind: 'object',
      value: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'] },
    },
    /presentation/,
  ],
  ['an object with a loop', { kind: 'object', value: cyclic }, /loop/],
  ['undefined', { kind: 'object', value: undefined }, /No badge/],
  ['a huge paste', { kind: 'text', text: `{"a":"${'x'.repeat(MAX_BADGE_BYTES)}"}` }, /larger than 2 MB/],
  ['a huge object', { kind: 'object', value: { a: 'x'.repeat(MAX_BADGE_BYTES) } }, /larger than 2 MB/],
  ['text that is neither JSON nor a JWT', { kind: 'text', text: 'hello there' }, /neither JSON nor a VC-JWT/],
  ['a JWT with an undecodable header', { kind: 'jwt', text: 'abc.def.ghi' }, /could not be decoded/],
  [
    'a JWT without a credential',
    {
      kind: 'jwt',
      text: `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('{"iss":"x"}').toString('base64url')}.c2ln`,
    },
    /does not carry a credential/,
  ],
];

describe('verifyPresentedBadge refuses malformed input with a clear format check', () => {
  for (const [what, input, message] of cases) {
    test(what, async () => assertRefused(await verifyPresentedBadge(input, deps), message));
  }

  test('never throws on arbitrary text or JSON values (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }).map((text): PresentedBadge => ({ kind: 'text', text })),
          fc.string({ maxLength: 300 }).map((text): PresentedBadge => ({ kind: 'jwt', text })),
          fc
            .jsonValue()
            .map((value): PresentedBadge => ({ kind: 'json', text: JSON.stringify(value) ?? '' })),
          fc.anything().map((value): PresentedBadge => ({ kind: 'object', value })),
        ),
        async (input) => {
          const result = await verifyPresentedBadge(input, deps);
          assert.equal(result.verified, false);
          assert.deepEqual(
            result.checks.map((check) => check.id),
            CHECK_ORDER,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a VC 2.0 credential that is not a badge is read and checked, and fails for want of a signature', async () => {
    const value = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] };
    const result = await verifyPresentedBadge({ kind: 'object', value }, deps);
    const statuses = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
    assert.equal(statuses.format, 'passed');
    assert.match(result.checks[0]?.message ?? '', /A verifiable credential \(VerifiableCredential\)/);
    assert.equal(statuses.schema, 'skipped');
    assert.equal(statuses.proof, 'failed');
    assert.equal(result.verified, false);
  });

  test('a badge-shaped object with wrong field types fails checks without throwing', async () => {
    const value = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 42, { '@vocab': 7 }],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: 12, name: ['x'] },
      validFrom: 'yesterday',
      credentialSubject: 'nobody',
      credentialStatus: [{ type: 'BitstringStatusListEntry', statusListIndex: 'x' }, null],
      proof: [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', verificationMethod: 5 }],
    };
    const result = await verifyPresentedBadge({ kind: 'object', value }, deps);
    assert.equal(result.verified, false);
    const statuses = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
    assert.equal(statuses.format, 'passed');
    assert.equal(statuses.schema, 'failed');
    assert.equal(statuses.proof, 'failed');
    assert.equal(statuses.dates, 'failed');
  });
});
