import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IssuerTrust, IssuerTrustLevel } from './issuer-trust.ts';
import { holdsUp, isVerifiedAndTrusted } from './verdict.ts';
import { CHECK_ORDER, type Check, type CheckStatus } from './verification-types.ts';

const checks = (changes: Partial<Record<Check['id'], CheckStatus>> = {}): Check[] =>
  CHECK_ORDER.map((id) => ({ id, status: changes[id] ?? 'passed', message: '' }));
const trust = (level: IssuerTrustLevel): IssuerTrust => ({
  level,
  signer: 'did:key:z6Mk',
  name: null,
  claimedName: null,
  usesOurName: false,
  message: '',
});

describe('the two verdicts', () => {
  const cases: [string, Check[], IssuerTrustLevel, boolean, boolean][] = [
    ['everything passed, ours', checks(), 'ours', true, true],
    ['everything passed, known', checks(), 'known', true, true],
    ['a stranger (issuer warning)', checks({ issuer: 'warning' }), 'unknown', true, false],
    ['an old badge with two status entries', checks({ schema: 'warning' }), 'ours', true, true],
    ['a borrowed name (issuer failed)', checks({ issuer: 'failed' }), 'unknown', false, false],
    ['revoked', checks({ status: 'failed' }), 'ours', false, false],
    ['expired', checks({ dates: 'failed' }), 'ours', false, false],
    ['not an Open Badge by the schema', checks({ schema: 'failed' }), 'ours', false, false],
    ['a proof that could not be checked', checks({ proof: 'skipped' }), 'unverified', false, false],
    ['no proof check at all', checks().filter((check) => check.id !== 'proof'), 'ours', false, false],
  ];
  for (const [name, given, level, spec, people] of cases) {
    test(`${name}: holds up ${spec}, verified for people ${people}`, () => {
      assert.equal(holdsUp(given), spec);
      assert.equal(isVerifiedAndTrusted(given, trust(level)), people);
    });
  }
});
