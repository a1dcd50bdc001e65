// Shared test data for credential and verification tests (not used by production code).
import * as vc from '@digitalcredentials/vc';
import type { JWK } from 'jose';
import { type BadgeInput, type StatusSlot, statusEntryFor } from './build-credential.ts';
import { eddsaJwtKey } from './credential-jwt.ts';
import type {
  JwtSigningKey,
  SignedOpenBadgeCredential,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from './credential-types.ts';
import { createDocumentLoader } from './document-loader.ts';
import { didKeyFor, didWebFor, generateIssuerKeyPair } from './issuer-keys.ts';
import { generateJwtKeyPair } from './jwt-keys.ts';
import { prepareSigner } from './prepared-signer.ts';

/**
 * Signs a badge as Stackable did before it kept to OB 3.0's one status entry: its revocation entry and a
 * suspension entry, in a list. Signed below the schema check, which rightly refuses such a badge now; for tests
 * that show badges issued that way keep verifying.
 */
export async function signedTheOldWay(
  unsigned: UnsignedOpenBadgeCredential,
  suspension: StatusSlot,
  key: SigningKey,
): Promise<SignedOpenBadgeCredential> {
  if (!unsigned.credentialStatus) throw new Error('the badge needs its revocation entry first');
  const twoEntries = {
    ...unsigned,
    credentialStatus: [unsigned.credentialStatus, statusEntryFor('suspension', suspension)],
  };
  const { suite } = await prepareSigner(key);
  const signed = await vc.issue({
    credential: structuredClone(twoEntries),
    suite,
    documentLoader: createDocumentLoader(),
  });
  const proof = signed.proof as object | object[];
  return { ...signed, proof: Array.isArray(proof) ? proof : [proof] } as unknown as SignedOpenBadgeCredential;
}

/** A new did:key signing key, where the key id is the public key itself as did:key requires. */
export async function newDidKeySigningKey(): Promise<SigningKey> {
  const pair = await generateIssuerKeyPair();
  return { did: didKeyFor(pair.publicKeyMultibase), keyId: pair.publicKeyMultibase, ...pair };
}

/** A new did:web signing key for the given site, with a named key id. */
export async function newDidWebSigningKey(site: string, keyId = 'key-1'): Promise<SigningKey> {
  const pair = await generateIssuerKeyPair();
  return { did: didWebFor(site), keyId, ...pair };
}

/** A complete, plausible award; tests override the parts they care about. */
export function sampleBadgeInput(issuerDid: string, overrides: Partial<BadgeInput> = {}): BadgeInput {
  return {
    id: 'urn:uuid:5f0c6a3e-8a51-4f0e-9a57-2b0d8f4c1e11',
    issuer: {
      did: issuerDid,
      name: 'Northfield University',
      url: 'https://northfield.example',
      email: 'badges@northfield.example',
      image: { url: 'https://northfield.example/logo.png', caption: 'Northfield University crest' },
    },
    validFrom: new Date('2026-03-01T09:00:00Z'),
    name: 'Data Analysis Foundations',
    description: 'Awarded for completing the Data Analysis Foundations micro-credential.',
    recipient: {
      did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      email: { address: 'Ada.Learner@Example.org ', salt: 'pepper-7f3a' },
    },
    program: {
      url: 'https://northfield.example/programs/data-analysis-foundations',
      name: 'Data Analysis Foundations',
      description: 'Three short courses on cleaning, exploring and presenting data.',
      criteria: { narrative: 'Pass all three courses with at least 70%.' },
      alignments: [
        {
          targetName: 'Data literacy',
          targetUrl: 'https://framework.example/skills/data-literacy',
          targetCode: 'DL-1',
          targetFramework: 'Example Skills Framework',
          targetType: 'ceasn:Competency',
        },
      ],
      creditsAvailable: 6,
      humanCode: 'DAF-101',
      fieldOfStudy: 'Statistics',
      version: '2026.1',
    },
    creditsEarned: 6,
    term: 'Spring 2026',
    evidence: [{ name: 'Capstone report', narrative: 'Analysed open city transport data.' }],
    status: { revocation: { listUrl: 'https://northfield.example/status/1', index: 4242 } },
    ...overrides,
  };
}

/** A VC-JWT key of each kind for one issuer DID: EdDSA from an Ed25519 signing key, ES256 and RS256 made fresh. */
export async function newJwtSigningKeys(key: SigningKey, fragments = { ES256: 'es256-1', RS256: 'rs256-1' }) {
  const separate = async (algorithm: 'ES256' | 'RS256'): Promise<JwtSigningKey & { publicJwk: JWK }> => {
    const pair = await generateJwtKeyPair(algorithm);
    return {
      algorithm,
      did: key.did,
      kid: `${key.did}#${fragments[algorithm]}`,
      privateJwk: pair.privateJwk,
      publicJwk: pair.publicJwk,
    };
  };
  return { EdDSA: await eddsaJwtKey(key), ES256: await separate('ES256'), RS256: await separate('RS256') };
}

/** A VC-JWT payload without the registered claims beside the credential's own properties: the credential. */
export function withoutJwtClaims(payload: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...payload };
  for (const claim of ['iss', 'jti', 'sub', 'nbf', 'exp', 'iat']) delete copy[claim];
  return copy;
}
