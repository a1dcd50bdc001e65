import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalcredentials/vc';
import { type BadgeInput, buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import type { SignedOpenBadgeCredential, SigningKey } from '../credentials/credential-types.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { didDocumentFor } from '../credentials/issuer-keys.ts';
import { deepFreeze } from '../credentials/own-proofs.ts';
import {
  signCredential,
  signCredentialJwt,
  signStatusListCredential,
} from '../credentials/sign-credential.ts';
import {
  buildStatusListCredential,
  createBitstring,
  encodeList,
  setBit,
} from '../credentials/status-list.ts';
import {
  newDidKeySigningKey,
  newDidWebSigningKey,
  sampleBadgeInput,
  signedTheOldWay,
  withoutJwtClaims,
} from '../credentials/test-fixtures.ts';
import { EXPIRED_VERDICT, verdictWords } from './check-labels.ts';
import {
  CHECK_ORDER,
  type CheckId,
  type VerificationResult,
  type VerifierDeps,
} from './verification-types.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const REVOCATION_LIST = 'https://northfield.example/status/r1';
const SUSPENSION_LIST = 'https://northfield.example/status/s1';

async function signedList(
  key: SigningKey,
  url: string,
  purpose: 'revocation' | 'suspension',
  set: number[] = [],
) {
  const bits = createBitstring();
  for (const index of set) setBit(bits, index);
  const unsigned = buildStatusListCredential({
    id: url,
    issuer: key.did,
    purpose,
    encodedList: encodeList(bits),
    validFrom: new Date('2026-01-01T00:00:00Z'),
  });
  return signStatusListCredential(unsigned, key);
}

function depsWith(
  key: SigningKey,
  lists: Record<string, object>,
  extra: Partial<VerifierDeps> = {},
): VerifierDeps {
  return {
    now: NOW,
    resolveDid: async () => null,
    fetchStatusList: async (url) => lists[url] ?? null,
    ourIssuerDids: [key.did],
    ...extra,
  };
}

const statusOf = (result: VerificationResult, id: CheckId) =>
  result.checks.find((check) => check.id === id)?.status;
const messageOf = (result: VerificationResult, id: CheckId) =>
  result.checks.find((check) => check.id === id)?.message ?? '';

const key = await newDidKeySigningKey();
const liveLists = {
  [REVOCATION_LIST]: await signedList(key, REVOCATION_LIST, 'revocation', [1]),
  [SUSPENSION_LIST]: await signedList(key, SUSPENSION_LIST, 'suspension', [3]),
};
const deps = depsWith(key, liveLists);
const unsigned = buildOpenBadgeCredential(
  sampleBadgeInput(key.did, {
    validUntil: new Date('2027-06-01T00:00:00Z'),
    status: { revocation: { listUrl: REVOCATION_LIST, index: 7 } },
  }),
);
const badge = await signCredential(unsigned, key);
const jwt = await signCredentialJwt(unsigned, key);

describe('verifyPresentedBadge: JSON-LD badges', () => {
  test('a badge we signed verifies, with every check reported in order', async () => {
    for (const input of [
      { kind: 'object' as const, value: badge },
      { kind: 'json' as const, text: JSON.stringify(badge, null, 2) },
      { kind: 'text' as const, text: JSON.stringify(badge) },
    ]) {
      const result = await verifyPresentedBadge(input, deps);
      assert.deepEqual(
        result.checks.map((check) => check.id),
        CHECK_ORDER,
      );
      assert.deepEqual(
        result.checks.map((check) => check.status),
        ['passed', 'passed', 'passed', 'passed', 'passed', 'passed'],
        JSON.stringify(result.checks),
      );
      assert.equal(result.verified, true);
      assert.equal(result.format, 'json-ld');
      assert.deepEqual(result.credential, badge);
    }
  });

  const tampering: [string, (copy: SignedOpenBadgeCredential) => void][] = [
    ['name', (copy) => (copy.name = 'Data Analysis Mastery')],
    ['achievement name', (copy) => (copy.credentialSubject.achievement.name = 'Data Analysis Mastery')],
    ['validFrom', (copy) => (copy.validFrom = '2026-02-01T09:00:00Z')],
    ['credential subject', (copy) => (copy.credentialSubject.id = 'did:example:someone-else')],
    ['credits earned', (copy) => (copy.credentialSubject.creditsEarned = 60)],
    ['issuer name', (copy) => (copy.issuer.name = 'Southfield University')],
    ['status index', (copy) => Object.assign(copy.credentialStatus ?? {}, { statusListIndex: '8' })],
    ['an added undefined field', (copy) => Object.assign(copy, { grade: 'A+' })],
  ];
  for (const [what, tamper] of tampering) {
    test(`changing the ${what} breaks the proof`, async () => {
      const copy = structuredClone(badge);
      tamper(copy);
      const result = await verifyPresentedBadge({ kind: 'object', value: copy }, deps);
      assert.equal(statusOf(result, 'proof'), 'failed');
      assert.equal(result.verified, false);
      assert.equal(statusOf(result, 'status'), 'skipped', 'an untrusted status entry is not followed');
    });
  }

  test('a badge without a proof fails in plain words', async () => {
    const result = await verifyPresentedBadge({ kind: 'object', value: unsigned }, deps);
    assert.equal(statusOf(result, 'proof'), 'failed');
    assert.match(messageOf(result, 'proof'), /no digital signature/);
  });

  test('a proof of an unsupported cryptosuite fails with that reason, and the badge is not verified', async () => {
    const copy = structuredClone(badge);
    const [proof] = copy.proof;
    assert.ok(proof);
    // BBS needs a suite Stackable does not have.
    proof.cryptosuite = 'bbs-2023';
    const result = await verifyPresentedBadge({ kind: 'object', value: copy }, deps);
    assert.equal(statusOf(result, 'proof'), 'failed');
    assert.match(messageOf(result, 'proof'), /unsupported cryptosuite or proof type bbs-2023/);
    assert.equal(result.verified, false);
  });

  test('the withdrawn draft name eddsa-2022 is refused as unsupported, by name', async () => {
    const copy = structuredClone(badge);
    const [proof] = copy.proof;
    assert.ok(proof);
    proof.cryptosuite = 'eddsa-2022';
    const result = await verifyPresentedBadge({ kind: 'object', value: copy }, deps);
    assert.equal(statusOf(result, 'proof'), 'failed');
    assert.match(messageOf(result, 'proof'), /eddsa-2022 \(the withdrawn draft name of eddsa-rdfc-2022\)/);
  });

  test('a proof whose verification method is a bare did:key (no fragment) is checked against that key', async () => {
    const key = await newDidKeySigningKey();
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did, { status: undefined }));
    const signer = await Ed25519Multikey.from({ id: key.did, controller: key.did, ...key });
    const suite = new DataIntegrityProof({ signer: signer.signer(), cryptosuite: eddsaRdfc2022 });
    const signed = await vc.issue({ credential: unsigned, suite, documentLoader: createDocumentLoader() });
    assert.equal((signed.proof as { verificationMethod: string }).verificationMethod, key.did);
    const genuine = await verifyPresentedBadge({ kind: 'object', value: signed }, depsWith(key, {}));
    assert.equal(statusOf(genuine, 'proof'), 'passed', messageOf(genuine, 'proof'));
    assert.equal(genuine.issuerTrust.signer, key.did);

    const altered = { ...signed, name: 'Something else' };
    const result = await verifyPresentedBadge({ kind: 'object', value: altered }, depsWith(key, {}));
    assert.equal(statusOf(result, 'proof'), 'failed');
  });
});

describe('verifyPresentedBadge: VC-JWT badges', () => {
  test('a JWT we signed verifies', async () => {
    for (const input of [
      { kind: 'jwt' as const, text: jwt },
      { kind: 'text' as const, text: `  ${jwt}\n` },
    ]) {
      const result = await verifyPresentedBadge(input, deps);
      assert.equal(result.format, 'jwt');
      assert.equal(result.verified, true, JSON.stringify(result.checks));
      // The payload is the credential, with the registered claims beside its own properties.
      assert.deepEqual(withoutJwtClaims(result.credential ?? {}), unsigned);
    }
  });

  test('a changed payload breaks the signature', async () => {
    const [header, payload, signature] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    claims.credentialSubject.achievement.name = 'Data Analysis Mastery';
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    const result = await verifyPresentedBadge({ kind: 'jwt', text: forged }, deps);
    assert.equal(statusOf(result, 'proof'), 'failed');
    assert.match(messageOf(result, 'proof'), /changed after it was signed/);
    assert.equal(result.verified, false);
  });

  test('an unsigned JWT or one signed by another issuer fails', async () => {
    const [, payload] = jwt.split('.');
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const unsignedJwt = await verifyPresentedBadge({ kind: 'jwt', text: `${noneHeader}.${payload}.` }, deps);
    assert.equal(statusOf(unsignedJwt, 'proof'), 'failed');

    const other = await newDidKeySigningKey();
    const otherJwt = await signCredentialJwt(buildOpenBadgeCredential(sampleBadgeInput(other.did)), other);
    const [otherHeader, , otherSignature] = otherJwt.split('.');
    const mixed = await verifyPresentedBadge(
      { kind: 'jwt', text: `${otherHeader}.${payload}.${otherSignature}` },
      deps,
    );
    assert.equal(statusOf(mixed, 'proof'), 'failed');
    assert.match(messageOf(mixed, 'proof'), /does not belong to the issuer/);
  });
});

describe('verifyPresentedBadge: dates', () => {
  test('an expired badge fails the date check but keeps a valid proof', async () => {
    const result = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, now: new Date('2027-06-02T00:00:00Z') },
    );
    assert.equal(statusOf(result, 'proof'), 'passed');
    assert.equal(statusOf(result, 'dates'), 'failed');
    assert.match(messageOf(result, 'dates'), /expired on June 1, 2027, 00:00 UTC/);
    assert.equal(result.verified, false);
  });

  test('an expired badge from a known signer is called expired, not a failure; one not valid yet is not', async () => {
    const expired = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, now: new Date('2027-06-02T00:00:00Z') },
    );
    assert.equal(expired.issuerTrust.level, 'ours');
    assert.equal(verdictWords(expired), EXPIRED_VERDICT);
    const early = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, now: new Date('2026-02-28T00:00:00Z') },
    );
    assert.equal(verdictWords(early), 'Not verified');
  });

  test('a badge that is not valid yet fails the date check', async () => {
    const result = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, now: new Date('2026-02-28T00:00:00Z') },
    );
    assert.equal(statusOf(result, 'dates'), 'failed');
    assert.match(messageOf(result, 'dates'), /not valid until March 1, 2026, 09:00 UTC/);
    assert.equal(statusOf(result, 'proof'), 'passed', 'a date problem is not a signature problem');
    assert.equal(result.verified, false);
  });

  test('dates are judged against deps.now, not the machine clock', async () => {
    const future = await signCredential(
      buildOpenBadgeCredential(
        sampleBadgeInput(key.did, { validFrom: new Date('2090-01-01T00:00:00Z'), status: undefined }),
      ),
      key,
    );
    const early = await verifyPresentedBadge({ kind: 'object', value: future }, deps);
    assert.equal(statusOf(early, 'proof'), 'passed', messageOf(early, 'proof'));
    assert.equal(statusOf(early, 'dates'), 'failed');
    const later = await verifyPresentedBadge(
      { kind: 'object', value: future },
      { ...deps, now: new Date('2091-01-01') },
    );
    assert.equal(later.verified, true, JSON.stringify(later.checks));
  });
});

describe('verifyPresentedBadge: status lists', () => {
  async function badgeWith(status: BadgeInput['status']) {
    return signCredential(buildOpenBadgeCredential(sampleBadgeInput(key.did, { status })), key);
  }

  test('a revoked badge fails', async () => {
    const revoked = await badgeWith({ revocation: { listUrl: REVOCATION_LIST, index: 1 } });
    const result = await verifyPresentedBadge({ kind: 'object', value: revoked }, deps);
    assert.equal(statusOf(result, 'proof'), 'passed');
    assert.equal(statusOf(result, 'status'), 'failed');
    assert.match(messageOf(result, 'status'), /revoked/);
    assert.equal(result.verified, false);
  });

  // Badges issued before Stackable kept to OB 3.0's one entry carry a suspension entry too.
  test('a suspension entry of a two-entry badge is read from its own list', async () => {
    const oldBadge = (index: number) =>
      signedTheOldWay(
        buildOpenBadgeCredential(
          sampleBadgeInput(key.did, { status: { revocation: { listUrl: REVOCATION_LIST, index: 2 } } }),
        ),
        { listUrl: SUSPENSION_LIST, index },
        key,
      );
    const suspended = await verifyPresentedBadge({ kind: 'object', value: await oldBadge(3) }, deps);
    assert.equal(statusOf(suspended, 'status'), 'failed');
    assert.match(messageOf(suspended, 'status'), /suspended/);
    const fine = await verifyPresentedBadge({ kind: 'object', value: await oldBadge(4) }, deps);
    assert.equal(statusOf(fine, 'status'), 'passed');
    assert.match(messageOf(fine, 'status'), /not revoked and not suspended/);
    assert.equal(statusOf(fine, 'schema'), 'warning', 'OB 3.0 allows one entry');
    assert.equal(fine.verified, true);
  });

  test('a list that cannot be loaded or trusted fails the status check', async () => {
    const missing = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, fetchStatusList: async () => null },
    );
    assert.match(messageOf(missing, 'status'), /could not be loaded/);

    const stranger = await newDidKeySigningKey();
    const foreignList = await signedList(stranger, REVOCATION_LIST, 'revocation');
    const foreign = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      depsWith(key, { [REVOCATION_LIST]: foreignList }),
    );
    assert.match(messageOf(foreign, 'status'), /someone other than the badge issuer/);

    // Someone who controls the list's address swaps in a cleared list, keeping the issuer's proof.
    const revokedList = await signedList(key, REVOCATION_LIST, 'revocation', [7]);
    const cleared = {
      ...revokedList,
      credentialSubject: { ...revokedList.credentialSubject, encodedList: encodeList(createBitstring()) },
    };
    const swapped = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      depsWith(key, { [REVOCATION_LIST]: cleared }),
    );
    assert.match(messageOf(swapped, 'status'), /cannot be trusted/);

    const throwing = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, fetchStatusList: async () => Promise.reject(new Error('network down')) },
    );
    for (const result of [missing, foreign, swapped, throwing]) {
      assert.equal(statusOf(result, 'status'), 'failed');
      assert.equal(result.verified, false);
    }
  });

  test('a status list that can still change has its signature checked on every verification', async () => {
    const list = await signedList(key, REVOCATION_LIST, 'revocation');
    const listDeps = depsWith(key, { [REVOCATION_LIST]: list });
    const first = await verifyPresentedBadge({ kind: 'object', value: badge }, listDeps);
    assert.equal(statusOf(first, 'status'), 'passed');
    // Changed where it lies after it was trusted: the bits are no longer the ones its issuer signed.
    const bits = createBitstring();
    setBit(bits, 7);
    (list.credentialSubject as { encodedList: string }).encodedList = encodeList(bits);
    const second = await verifyPresentedBadge({ kind: 'object', value: badge }, listDeps);
    assert.equal(statusOf(second, 'status'), 'failed');
    assert.match(messageOf(second, 'status'), /cannot be trusted/);
  });

  test('a frozen status list trusted once still has its bits, purpose and issuer read for every badge', async () => {
    const frozen = deepFreeze(await signedList(key, REVOCATION_LIST, 'revocation', [1]));
    const frozenDeps = depsWith(key, { [REVOCATION_LIST]: frozen });
    const fine = await verifyPresentedBadge({ kind: 'object', value: badge }, frozenDeps);
    assert.equal(statusOf(fine, 'status'), 'passed');
    const revoked = await badgeWith({ revocation: { listUrl: REVOCATION_LIST, index: 1 } });
    const again = await verifyPresentedBadge({ kind: 'object', value: revoked }, frozenDeps);
    assert.match(messageOf(again, 'status'), /revoked/);

    const stranger = await newDidKeySigningKey();
    const theirs = await signCredential(
      buildOpenBadgeCredential(
        sampleBadgeInput(stranger.did, { status: { revocation: { listUrl: REVOCATION_LIST, index: 7 } } }),
      ),
      stranger,
    );
    const borrowed = await verifyPresentedBadge({ kind: 'object', value: theirs }, frozenDeps);
    assert.equal(statusOf(borrowed, 'proof'), 'passed');
    assert.equal(statusOf(borrowed, 'status'), 'failed');
    assert.match(messageOf(borrowed, 'status'), /someone other than the badge issuer/);

    const suspension = await signedTheOldWay(
      buildOpenBadgeCredential(
        sampleBadgeInput(key.did, { status: { revocation: { listUrl: REVOCATION_LIST, index: 2 } } }),
      ),
      { listUrl: REVOCATION_LIST, index: 7 },
      key,
    );
    const wrongPurpose = await verifyPresentedBadge({ kind: 'object', value: suspension }, frozenDeps);
    assert.match(messageOf(wrongPurpose, 'status'), /not a suspension list/);
  });

  test('a badge without a status entry skips the status check and still verifies', async () => {
    const result = await verifyPresentedBadge({ kind: 'object', value: await badgeWith(undefined) }, deps);
    assert.equal(statusOf(result, 'status'), 'skipped');
    assert.equal(result.verified, true);
  });
});

describe('verifyPresentedBadge: issuers and did:web', () => {
  test('another issuer is a warning naming its signing DID, and not verified unless known', async () => {
    const result = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      { ...deps, ourIssuerDids: ['did:web:elsewhere.example'] },
    );
    assert.equal(statusOf(result, 'issuer'), 'warning');
    assert.equal(
      messageOf(result, 'issuer'),
      `Signed by ${key.did}, which is not a known issuer; it calls itself 'Northfield University'.`,
    );
    assert.equal(result.issuerTrust.level, 'unknown');
    assert.equal(result.verified, false, 'a valid signature by an unknown signer is not verified');

    const known = await verifyPresentedBadge(
      { kind: 'object', value: badge },
      {
        ...deps,
        ourIssuerDids: ['did:web:elsewhere.example'],
        knownIssuer: (did) =>
          did === key.did ? { name: 'Northfield', source: 'added by an administrator' } : null,
      },
    );
    assert.equal(known.issuerTrust.level, 'known');
    assert.equal(statusOf(known, 'issuer'), 'passed');
    assert.equal(known.verified, true);
  });

  test('did:web keys are found through resolveDid, rotated keys included', async () => {
    const old = await newDidWebSigningKey('https://northfield.example', 'key-2025');
    const current = await newDidWebSigningKey('https://northfield.example', 'key-2026');
    const oldBadge = await signCredential(
      buildOpenBadgeCredential(sampleBadgeInput(old.did, { status: undefined })),
      old,
    );
    const resolving = (keys: SigningKey[]) =>
      depsWith(old, {}, { resolveDid: async (did) => (did === old.did ? didDocumentFor(did, keys) : null) });

    const rotated = await verifyPresentedBadge(
      { kind: 'object', value: oldBadge },
      resolving([old, current]),
    );
    assert.equal(rotated.verified, true, JSON.stringify(rotated.checks));

    const dropped = await verifyPresentedBadge({ kind: 'object', value: oldBadge }, resolving([current]));
    assert.equal(statusOf(dropped, 'proof'), 'failed');

    const unknown = await verifyPresentedBadge({ kind: 'object', value: oldBadge }, depsWith(old, {}));
    assert.equal(statusOf(unknown, 'proof'), 'failed');
    assert.match(messageOf(unknown, 'proof'), /could not be found/);

    const jwt = await signCredentialJwt(buildOpenBadgeCredential(sampleBadgeInput(current.did)), current);
    const jwtResult = await verifyPresentedBadge({ kind: 'jwt', text: jwt }, resolving([old, current]));
    assert.equal(statusOf(jwtResult, 'proof'), 'passed', messageOf(jwtResult, 'proof'));
  });
});

describe('verifyPresentedBadge: Ed25519Signature2020', () => {
  test('verifies older Ed25519Signature2020 proofs when the suite is installed', async (t) => {
    let suiteModule: typeof import('@digitalcredentials/ed25519-signature-2020');
    try {
      suiteModule = await import('@digitalcredentials/ed25519-signature-2020');
    } catch {
      t.skip('@digitalcredentials/ed25519-signature-2020 is not installed');
      return;
    }
    const vc = await import('@digitalcredentials/vc');
    const Multikey = await import('@digitalcredentials/ed25519-multikey');
    const { createDocumentLoader } = await import('../credentials/document-loader.ts');
    const keyPair = await Multikey.from({
      id: `${key.did}#${key.keyId}`,
      controller: key.did,
      type: 'Multikey',
      publicKeyMultibase: key.publicKeyMultibase,
      secretKeyMultibase: key.secretKeyMultibase,
    });
    const credential = structuredClone(unsigned);
    credential['@context'].push('https://w3id.org/security/suites/ed25519-2020/v1');
    const signed = await vc.issue({
      credential,
      suite: new suiteModule.Ed25519Signature2020({ key: keyPair }),
      documentLoader: createDocumentLoader(),
    });
    const result = await verifyPresentedBadge({ kind: 'object', value: signed }, deps);
    assert.equal(statusOf(result, 'proof'), 'passed', messageOf(result, 'proof'));
    assert.match(messageOf(result, 'proof'), /Ed25519Signature2020/);
    const tampered = await verifyPresentedBadge(
      { kind: 'object', value: { ...signed, name: 'Changed' } },
      deps,
    );
    assert.equal(statusOf(tampered, 'proof'), 'failed');
  });
});
