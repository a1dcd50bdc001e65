// Test-made credentials of the kinds the verifier names besides Open Badges (not used by production code).
import * as vc from '@digitalcredentials/vc';
import type { SigningKey } from '../credentials/credential-types.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../credentials/local-contexts.ts';
import { prepareSigner } from '../credentials/prepared-signer.ts';

const CLR_V2_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';

/** Signs any credential with an eddsa-rdfc-2022 proof, the way another issuer's software would. */
export async function signedBy(credential: object, key: SigningKey): Promise<Record<string, unknown>> {
  const { suite } = await prepareSigner(key);
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: createDocumentLoader() });
}

/** An EndorsementCredential (OB 3.0 §B.1.2) by `did` of the achievement at `endorsed`. */
export const anEndorsement = (did: string, endorsed: string, comment: string) => ({
  '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
  id: 'urn:uuid:3e1d7a52-94f0-4c1b-8f3e-0b6a2d9c4e71',
  type: ['VerifiableCredential', 'EndorsementCredential'],
  issuer: { id: did, type: ['Profile'], name: 'Harbour Industry Panel' },
  validFrom: '2026-02-01T00:00:00Z',
  name: 'Industry endorsement',
  credentialSubject: { id: endorsed, type: ['EndorsementSubject'], endorsementComment: comment },
});

/** An unsigned AchievementCredential, as a CLR carries its learner's assertions. */
const anAssertion = (did: string, index: number, achievement: string) => ({
  '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
  id: `urn:uuid:7c2b9e14-1d3a-4f6e-9b80-5a4c3d2e1f0${index}`,
  type: ['VerifiableCredential', 'AchievementCredential'],
  issuer: { id: did, type: ['Profile'], name: 'Harbour College' },
  validFrom: '2026-02-01T00:00:00Z',
  name: achievement,
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: `https://college.example/achievements/${index}`,
      type: ['Achievement'],
      name: achievement,
      description: `Awarded for ${achievement}.`,
      criteria: { narrative: 'Complete the course.' },
    },
  },
});

/** The learner a test CLR is about: a DID, and the name given as a plain (unhashed) identifier. */
export const CLR_LEARNER = { id: 'did:example:learner-ines-okafor', name: 'Inès Okafor' };

/**
 * A ClrCredential (CLR 2.0) by `did` holding one assertion per achievement name. Its contexts come in the order
 * the CLR 2.0 schema requires: VC 2.0, then CLR 2.0, then OB 3.0.
 */
export const aClr = (did: string, achievements: readonly string[]) => ({
  '@context': [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT],
  id: 'urn:uuid:b4f6a8c2-2e1d-4a9b-8c7f-6d5e4c3b2a10',
  type: ['VerifiableCredential', 'ClrCredential'],
  issuer: { id: did, type: ['Profile'], name: 'Harbour College' },
  validFrom: '2026-02-01T00:00:00Z',
  name: 'Harbour College record',
  credentialSubject: {
    id: CLR_LEARNER.id,
    type: ['ClrSubject'],
    identifier: [
      { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: CLR_LEARNER.name },
    ],
    verifiableCredential: achievements.map((name, index) => anAssertion(did, index, name)),
  },
});

/**
 * A VC 2.0 credential of no kind the verifier knows (a site-access permit), its one type of its own defined in an
 * inline context so that signing in JSON-LD safe mode can expand it.
 */
export const aPlainCredential = (did: string) => ({
  '@context': [VC_V2_CONTEXT, { SiteAccessPermit: 'https://dockyard.example/vocab#SiteAccessPermit' }],
  id: 'urn:uuid:7a0c5e3b-1f2d-4c6a-9b8e-5d4f3a2b1c09',
  type: ['VerifiableCredential', 'SiteAccessPermit'],
  issuer: did,
  validFrom: '2026-03-01T00:00:00Z',
  name: 'Dockyard site access',
  credentialSubject: { id: 'did:example:holder-tane-walker' },
});
