import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { VerificationReport } from '../verification/verification.service.ts';
import type { Check, CheckId, CheckStatus } from '../verification/verification-types.ts';
import { decideImport, describeCredential, heldUp } from './imported-badge.ts';

const checks = (statuses: Partial<Record<CheckId, CheckStatus>> = {}): Check[] =>
  (['format', 'schema', 'proof', 'dates', 'status', 'issuer', 'recipient'] as const)
    .filter((id) => id !== 'recipient' || statuses.recipient)
    .map((id) => ({ id, status: statuses[id] ?? 'passed', message: `${id} ${statuses[id] ?? 'passed'}` }));

const ob3 = {
  id: 'urn:uuid:7d0e2a54-9b0f-4c61-8c5b-111111111111',
  issuer: { id: 'did:web:elsewhere.example', name: 'Elsewhere University' },
  validFrom: '2025-05-04T12:00:00Z',
  credentialSubject: { achievement: { name: 'Field Surveying' } },
};

function report(overrides: Partial<VerificationReport> = {}): VerificationReport {
  return {
    verified: false,
    format: 'json-ld',
    credential: ob3,
    checks: checks(),
    source: 'json',
    ours: null,
    issuerTrust: {
      level: 'unknown',
      signer: 'did:web:elsewhere.example',
      name: null,
      claimedName: 'Elsewhere University',
      usesOurName: false,
      message: 'Signed by did:web:elsewhere.example, which is not a known issuer.',
    },
    ...overrides,
  };
}

describe('what may come into a backpack from another issuer', () => {
  test('a 3.0 credential that holds up comes in with its title, claimed issuer, date and id', () => {
    const decision = decideImport(report(), Buffer.from('x'));
    assert.ok(decision.ok);
    assert.equal(decision.facts.title, 'Field Surveying');
    assert.equal(decision.facts.claimedIssuerName, 'Elsewhere University');
    assert.equal(decision.facts.issuedOn, '2025-05-04');
    assert.equal(decision.facts.fingerprint, ob3.id);
    assert.equal(decision.facts.trustLevel, 'unknown');
    assert.equal(decision.facts.recipientConfirmed, false);
  });

  test('a 2.0 assertion reads its title and issuer from the badge class the verifier gathered', () => {
    const described = describeCredential({
      id: 'https://harbour.example/assertions/1',
      issuedOn: '2024-11-30T08:00:00Z',
      badge: { name: 'Safe Welding', issuer: { name: 'Harbour Community College' } },
    });
    assert.deepEqual(described, {
      title: 'Safe Welding',
      issuerName: 'Harbour Community College',
      issuedOn: '2024-11-30',
      id: 'https://harbour.example/assertions/1',
    });
  });

  test('without an id of its own, the content is the fingerprint, so the same bytes come in once', () => {
    const { id: _id, ...withoutId } = ob3;
    const a = decideImport(report({ credential: withoutId }), Buffer.from('same'));
    const b = decideImport(report({ credential: withoutId }), Buffer.from('same'));
    const c = decideImport(report({ credential: withoutId }), Buffer.from('other'));
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.facts.fingerprint, b.facts.fingerprint);
    assert.notEqual(a.facts.fingerprint, c.facts.fingerprint);
    assert.match(a.facts.fingerprint, /^sha256:[0-9a-f]{64}$/);
  });

  test('each refusal says why: unreadable, ours, someone else’s, or not holding up', () => {
    const refused = (r: VerificationReport) => {
      const decision = decideImport(r, Buffer.from('x'));
      assert.ok(!decision.ok);
      return decision.reason;
    };
    assert.equal(refused(report({ checks: checks({ format: 'failed' }) })), 'format failed');
    assert.match(refused(report({ issuerTrust: { ...report().issuerTrust, level: 'ours' } })), /issued here/);
    assert.match(refused(report({ checks: checks({ recipient: 'failed' }) })), /issued to someone else/);
    assert.match(
      refused(report({ checks: checks({ status: 'failed' }) })),
      /does not hold up.*status failed/,
    );
    // A proof that was only skipped (no signature checked) is not enough.
    assert.match(refused(report({ checks: checks({ proof: 'skipped' }) })), /does not hold up/);
  });

  test('a known issuer and a confirmed recipient are kept as such; warnings do not keep a badge out', () => {
    const decision = decideImport(
      report({
        checks: checks({ recipient: 'passed', dates: 'warning' }),
        issuerTrust: { ...report().issuerTrust, level: 'known', name: 'Elsewhere University' },
      }),
      Buffer.from('x'),
    );
    assert.ok(decision.ok);
    assert.equal(decision.facts.trustLevel, 'known');
    assert.equal(decision.facts.recipientConfirmed, true);
    assert.equal(heldUp(decision.facts.checks), true);
    assert.equal(heldUp(checks({ status: 'failed' })), false);
  });
});
