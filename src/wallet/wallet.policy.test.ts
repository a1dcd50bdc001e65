import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CredentialStatusName } from '../credentials/status-names.ts';
import {
  type DeliveryStep,
  deliveryRefusal,
  mayOfferToWallet,
  type OfferState,
  type WalletBadge,
} from './wallet.policy.ts';

const learner = { id: 'u1', name: 'Ada', email: 'Ada@Example.edu', roles: ['learner' as const] };
const claimedBy = (userId: string) => ({
  claimedByUserId: userId,
  claimedAt: new Date(),
  learnerEmail: 'x@y.edu',
});
/** The learner's proven addresses; `ada@unproven.example` is one they typed but never proved. */
const proven = ['Ada@Example.edu'];
const waitingFor = (email: string) => ({ claimedByUserId: null, claimedAt: null, learnerEmail: email });

test('only the badge’s own learner may offer an active original badge to a wallet, as a table', () => {
  const rows: [string, WalletBadge['holding'], CredentialStatusName, boolean, boolean][] = [
    ['claimed by them', claimedBy('u1'), 'active', false, true],
    ['waiting under their address', waitingFor(' ada@example.EDU '), 'active', false, true],
    ['claimed by someone else', claimedBy('u2'), 'active', false, false],
    [
      'claimed by someone else, though mailed to them',
      { ...claimedBy('u2'), learnerEmail: 'ada@example.edu' },
      'active',
      false,
      false,
    ],
    ['waiting under another address', waitingFor('bob@example.edu'), 'active', false, false],
    ['waiting under their address, not proven', waitingFor('ada@unproven.example'), 'active', false, false],
    ['not in any backpack', null, 'active', false, false],
    ['revoked', claimedBy('u1'), 'revoked', false, false],
    ['suspended', claimedBy('u1'), 'suspended', false, false],
    ['a copy already in a wallet', claimedBy('u1'), 'active', true, false],
  ];
  for (const [name, holding, status, isCopy, expected] of rows) {
    assert.equal(mayOfferToWallet(learner, { holding, status, isCopy }, proven), expected, name);
  }
  const badge: WalletBadge = { holding: claimedBy('u1'), status: 'active', isCopy: false };
  assert.equal(mayOfferToWallet(null, badge, proven), false, 'nobody signed in');
  assert.equal(mayOfferToWallet({ system: 'import' }, badge, proven), false, 'a system actor');
});

test('an offer delivers once, before it expires; its code buys one token; the token works briefly, as a table', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const later = new Date('2026-12-04T12:10:00Z');
  const earlier = new Date('2026-12-04T11:50:00Z');
  const fresh: OfferState = {
    expires_at: later,
    delivered_at: null,
    code_used_at: null,
    token_expires_at: null,
  };
  const tokenBought: OfferState = { ...fresh, code_used_at: earlier, token_expires_at: later };
  const rows: [string, OfferState, DeliveryStep, boolean][] = [
    ['fresh offer, exchange', fresh, 'exchange', true],
    ['fresh offer, token', fresh, 'token', true],
    ['fresh offer, no token yet, credential', fresh, 'credential', false],
    ['code spent, token again', tokenBought, 'token', false],
    ['code spent, credential with the token', tokenBought, 'credential', true],
    ['token expired', { ...tokenBought, token_expires_at: earlier }, 'credential', false],
    ['offer expired, exchange', { ...fresh, expires_at: earlier }, 'exchange', false],
    ['offer expired, token', { ...fresh, expires_at: now }, 'token', false],
    ['delivered, exchange', { ...fresh, delivered_at: earlier }, 'exchange', false],
    ['delivered, credential', { ...tokenBought, delivered_at: earlier }, 'credential', false],
  ];
  for (const [name, offer, step, allowed] of rows) {
    assert.equal(deliveryRefusal(offer, step, now) === null, allowed, name);
  }
});
