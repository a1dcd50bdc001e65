import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import { signCredential } from '../credentials/sign-credential.ts';
import { newDidKeySigningKey, sampleBadgeInput } from '../credentials/test-fixtures.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

const DAY = 86_400_000;

test('every credential we sign verifies with our verifier (property)', async () => {
  const key = await newDidKeySigningKey();
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }),
      fc.string({ maxLength: 300, unit: 'grapheme' }),
      fc.string({ minLength: 1, maxLength: 80 }),
      fc.oneof(fc.integer({ min: 0, max: 240 }), fc.double({ min: 0, max: 240, noNaN: true })),
      fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
      fc.option(fc.integer({ min: 1, max: 3650 })),
      async (name, description, programName, credits, validFrom, days) => {
        const validUntil = days === null ? undefined : new Date(validFrom.getTime() + days * DAY);
        const input = sampleBadgeInput(key.did, {
          name,
          description,
          validFrom,
          validUntil,
          status: undefined,
        });
        input.program = { ...input.program, name: programName, creditsAvailable: credits };
        const signed = await signCredential(
          buildOpenBadgeCredential({ ...input, creditsEarned: credits }),
          key,
        );
        const result = await verifyPresentedBadge(
          // Through text, as a badge arrives from a file or a paste.
          { kind: 'json', text: JSON.stringify(signed) },
          {
            now: new Date(validFrom.getTime() + 1000),
            resolveDid: async () => null,
            fetchStatusList: async () => null,
            ourIssuerDids: [key.did],
          },
        );
        assert.equal(result.verified, true, JSON.stringify(result.checks));
      },
    ),
    { numRuns: 25 },
  );
});
