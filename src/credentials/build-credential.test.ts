import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  buildOpenBadgeCredential,
  hashEmail,
  toDateTime,
  validateOpenBadgeCredential,
} from './build-credential.ts';
import { sampleBadgeInput } from './test-fixtures.ts';

const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

describe('hashEmail', () => {
  test('matches the IdentityHash example of the OB 3.0 specification', () => {
    assert.equal(
      hashEmail('a@example.com', 'Kosher'),
      'sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399',
    );
  });

  test('ignores case and surrounding spaces but not the salt', () => {
    assert.equal(hashEmail('  A@Example.COM ', 'Kosher'), hashEmail('a@example.com', 'Kosher'));
    assert.notEqual(hashEmail('a@example.com', 'Kosher'), hashEmail('a@example.com', 'Halal'));
  });
});

describe('buildOpenBadgeCredential', () => {
  test('builds a schema-valid OpenBadgeCredential with the expected structure', () => {
    const credential = buildOpenBadgeCredential(sampleBadgeInput(ISSUER));
    assert.deepEqual(validateOpenBadgeCredential(credential), { valid: true, problems: [] });
    assert.deepEqual(credential['@context'], [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ]);
    assert.deepEqual(credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(credential.issuer.id, ISSUER);
    assert.equal(credential.validFrom, '2026-03-01T09:00:00Z');
    assert.equal(credential.credentialSubject.achievement.achievementType, 'MicroCredential');
    assert.equal(credential.credentialSubject.achievement.creditsAvailable, 6);
    assert.deepEqual(credential.credentialSchema, [
      {
        id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
        type: '1EdTechJsonSchemaValidator2019',
      },
    ]);
    assert.deepEqual(credential.credentialStatus, {
      id: 'https://northfield.example/status/1#4242',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '4242',
      statusListCredential: 'https://northfield.example/status/1',
    });
  });

  test('stores the e-mail only as a salted hash', () => {
    const credential = buildOpenBadgeCredential(sampleBadgeInput(ISSUER));
    assert.deepEqual(credential.credentialSubject.identifier, [
      {
        type: 'IdentityObject',
        identityHash: hashEmail('ada.learner@example.org', 'pepper-7f3a'),
        identityType: 'emailAddress',
        hashed: true,
        salt: 'pepper-7f3a',
      },
    ]);
    assert.ok(!JSON.stringify(credential).toLowerCase().includes('ada.learner'));
  });

  test('leaves out optional fields that were not given', () => {
    const input = sampleBadgeInput(ISSUER, { evidence: undefined, status: undefined, term: undefined });
    const credential = buildOpenBadgeCredential({ ...input, recipient: { did: 'did:example:learner' } });
    const json = JSON.stringify(credential);
    for (const field of ['"evidence"', '"credentialStatus"', '"term"', '"identifier"', '"validUntil"']) {
      assert.ok(!json.includes(field), field);
    }
    assert.equal(validateOpenBadgeCredential(credential).valid, true);
  });

  test('carries one status entry, an object for revocation, as OB 3.0 allows', () => {
    const credential = buildOpenBadgeCredential(
      sampleBadgeInput(ISSUER, {
        status: { revocation: { listUrl: 'https://northfield.example/status/r1', index: 1 } },
      }),
    );
    assert.deepEqual(credential.credentialStatus, {
      id: 'https://northfield.example/status/r1#1',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '1',
      statusListCredential: 'https://northfield.example/status/r1',
    });
    assert.equal(validateOpenBadgeCredential(credential).valid, true);
  });

  test('the schema check refuses a list of status entries (OB 3.0 allows one)', () => {
    const credential = buildOpenBadgeCredential(
      sampleBadgeInput(ISSUER, {
        status: { revocation: { listUrl: 'https://northfield.example/status/r1', index: 1 } },
      }),
    );
    const twoEntries = {
      ...credential,
      credentialStatus: [credential.credentialStatus, credential.credentialStatus],
    };
    const verdict = validateOpenBadgeCredential(twoEntries);
    assert.equal(verdict.valid, false);
    assert.deepEqual(verdict.problems, [{ field: 'credentialStatus', reason: 'must be object' }]);
  });

  test('refuses a badge without a recipient, a bad date or a bad status index', () => {
    assert.throws(() => buildOpenBadgeCredential(sampleBadgeInput(ISSUER, { recipient: {} })), /recipient/);
    assert.throws(() => buildOpenBadgeCredential(sampleBadgeInput(ISSUER, { validFrom: new Date('nope') })));
    const status = { revocation: { listUrl: 'https://northfield.example/status/1', index: -1 } };
    assert.throws(() => buildOpenBadgeCredential(sampleBadgeInput(ISSUER, { status })), /index/);
  });

  test('every plausible award builds into a schema-valid credential', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 200 }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.option(fc.integer({ min: 1, max: 3650 })),
        (name, description, credits, validFrom, days) => {
          const validUntil = days === null ? undefined : new Date(validFrom.getTime() + days * 86_400_000);
          const input = sampleBadgeInput(ISSUER, {
            name,
            description,
            validFrom,
            validUntil,
            creditsEarned: credits,
          });
          const credential = buildOpenBadgeCredential(input);
          const verdict = validateOpenBadgeCredential(credential);
          assert.deepEqual(verdict.problems, []);
          assert.equal(credential.validFrom, toDateTime(validFrom));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('validateOpenBadgeCredential', () => {
  test('names each field that breaks the schema', () => {
    const credential = buildOpenBadgeCredential(sampleBadgeInput(ISSUER)) as unknown as Record<
      string,
      unknown
    >;
    const broken = structuredClone(credential) as {
      credentialSubject: { achievement: Record<string, unknown> };
      validFrom?: string;
      issuer: Record<string, unknown>;
    };
    delete broken.credentialSubject.achievement.name;
    broken.validFrom = 'last Tuesday';
    broken.issuer.type = ['Organisation'];
    const verdict = validateOpenBadgeCredential(broken);
    assert.equal(verdict.valid, false);
    const fields = verdict.problems.map((problem) => problem.field);
    assert.ok(fields.includes('credentialSubject.achievement.name'), fields.join(', '));
    assert.ok(fields.includes('validFrom'), fields.join(', '));
    assert.ok(
      fields.some((field) => field.startsWith('issuer')),
      fields.join(', '),
    );
  });

  test('rejects values that are not credentials at all', () => {
    for (const value of [null, 42, 'text', [], {}]) {
      assert.equal(validateOpenBadgeCredential(value).valid, false, JSON.stringify(value));
    }
  });
});
