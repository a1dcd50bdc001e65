/** Shapes of the Open Badges 3.0 documents Stackable issues (only the fields it fills in). */

export interface ImageRef {
  id: string;
  type: 'Image';
  caption?: string;
}

export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
  email: string;
  image?: ImageRef;
  description?: string;
}

export interface Alignment {
  type: ['Alignment'];
  targetName: string;
  targetUrl: string;
  targetCode?: string;
  targetFramework?: string;
  targetType?: string;
}

export interface Achievement {
  id: string;
  type: ['Achievement'];
  name: string;
  description: string;
  criteria: { id?: string; narrative: string };
  image?: ImageRef;
  alignment?: Alignment[];
  achievementType: 'MicroCredential';
  creditsAvailable: number;
  humanCode?: string;
  fieldOfStudy?: string;
  version?: string;
}

export interface IdentityObject {
  type: 'IdentityObject';
  identityHash: string;
  identityType: 'emailAddress';
  hashed: true;
  salt: string;
}

export interface AchievementSubject {
  type: ['AchievementSubject'];
  id?: string;
  identifier?: IdentityObject[];
  achievement: Achievement;
  creditsEarned?: number;
  term?: string;
  activityEndDate?: string;
}

export interface Evidence {
  type: ['Evidence'];
  id?: string;
  name?: string;
  description?: string;
  narrative?: string;
  genre?: string;
}

export type StatusPurpose = 'revocation' | 'suspension';

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

export interface CredentialSchemaRef {
  id: string;
  type: '1EdTechJsonSchemaValidator2019';
}

/** An OpenBadgeCredential before signing. */
export interface UnsignedOpenBadgeCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: IssuerProfile;
  validFrom: string;
  validUntil?: string;
  /** OB 3.0: the moment the badge was first awarded. */
  awardedDate?: string;
  name: string;
  description: string;
  image?: ImageRef;
  credentialSubject: AchievementSubject;
  evidence?: Evidence[];
  credentialSchema: CredentialSchemaRef[];
  /** OB 3.0 allows one entry ([0..1]), an object: ours is the revocation entry. */
  credentialStatus?: BitstringStatusListEntry;
}

/** A Data Integrity proof as it appears in a signed credential. */
export interface DataIntegrityProofValue {
  type: string;
  cryptosuite?: string;
  created?: string;
  verificationMethod: string;
  proofPurpose: string;
  proofValue: string;
}

export type SignedOpenBadgeCredential = UnsignedOpenBadgeCredential & { proof: DataIntegrityProofValue[] };

/** The private key Stackable signs with, and where verifiers find its public half. */
export interface SigningKey {
  /** The issuer DID (did:key or did:web); it is also the credential's issuer id. */
  did: string;
  /** Fragment of the verification method: `<did>#<keyId>`. */
  keyId: string;
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

/** The JWS algorithms Stackable signs VC-JWTs with: OB 3.0 requires RS256 at least; ES256 and EdDSA are common. */
export const jwtAlgorithms = ['EdDSA', 'ES256', 'RS256'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

/** A private key as a JWK (RFC 7517): OKP Ed25519, EC P-256 or RSA. */
export interface PrivateJwk {
  kty: string;
  [parameter: string]: unknown;
}

/** The key a VC-JWT is signed with, and the verification method its `kid` names. */
export interface JwtSigningKey {
  algorithm: JwtAlgorithm;
  /** The issuer DID the key signs for; it is also the credential's issuer id. */
  did: string;
  /** The full verification method id (`<did>#<fragment>`), resolvable in the issuer's DID document. */
  kid: string;
  privateJwk: PrivateJwk;
}

/**
 * A VC-JWT handed over as JSON (VC 2.0 section 4.13, VC-JOSE-COSE): the JWT travels in a `data:` URL as the id, so
 * it can sit where a credential object is expected, as in the VC-API's issue response.
 */
export interface EnvelopedVerifiableCredential {
  '@context': ['https://www.w3.org/ns/credentials/v2'];
  id: `data:application/vc+jwt,${string}`;
  type: 'EnvelopedVerifiableCredential';
}
