import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import { signCredential, signCredentialJwt } from '../credentials/sign-credential.ts';
import { newDidKeySigningKey, newDidWebSigningKey, sampleBadgeInput } from '../credentials/test-fixtures.ts';
import { AppError, unavailable } from '../platform/errors.ts';
import type { VerifierDeps } from './verification-types.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

// A failure of our own side (the database) is no fact about the badge: verification stops with it, no verdict.
const NOW = new Date('2026-06-01T12:00:00Z');
const down = () => unavailable('Badges cannot be checked just now.', new Error('Connection terminated'));
const isDown = (error: unknown) =>
  error instanceof AppError && error.code === 'UNAVAILABLE' && /just now/.test(error.publicMessage);

const didKey = await newDidKeySigningKey();
const withStatus = buildOpenBadgeCredential(
  sampleBadgeInput(didKey.did, {
    status: { revocation: { listUrl: 'https://northfield.example/status/r1', index: 7 } },
  }),
);
const badge = await signCredential(withStatus, didKey);
const baseDeps: VerifierDeps = {
  now: NOW,
  resolveDid: async () => null,
  fetchStatusList: async () => null,
  ourIssuerDids: [didKey.did],
};

describe('verifyPresentedBadge: our own side failing', () => {
  test('our status list store failing is thrown, not a failed status check', async () => {
    await assert.rejects(
      verifyPresentedBadge(
        { kind: 'object', value: badge },
        { ...baseDeps, fetchStatusList: async () => Promise.reject(down()) },
      ),
      isDown,
    );
  });

  test('our own fast signature check failing is thrown, not a bad signature', async () => {
    await assert.rejects(
      verifyPresentedBadge(
        { kind: 'object', value: badge },
        { ...baseDeps, checkOwnProof: async () => Promise.reject(down()) },
      ),
      isDown,
    );
  });

  test('our DID document failing to load is thrown, though the signature libraries catch it', async () => {
    const webKey = await newDidWebSigningKey('https://northfield.example');
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(webKey.did, { status: undefined }));
    const deps = { ...baseDeps, resolveDid: async () => Promise.reject(down()) };
    await assert.rejects(
      verifyPresentedBadge({ kind: 'object', value: await signCredential(unsigned, webKey) }, deps),
      isDown,
    );
    await assert.rejects(
      verifyPresentedBadge({ kind: 'jwt', text: await signCredentialJwt(unsigned, webKey) }, deps),
      isDown,
    );
  });

  test('a remote list that cannot be had stays a failed check about the badge', async () => {
    const result = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...baseDeps, fetchStatusList: async () => Promise.reject(new Error('network down')) },
    );
    assert.equal(result.checks.find((check) => check.id === 'status')?.status, 'failed');
    assert.equal(result.verified, false);
  });
});
