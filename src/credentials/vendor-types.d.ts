// Narrow type declarations for the Digital Credentials Consortium libraries, which ship plain JavaScript.
// Only the parts Stackable calls are described; everything else stays unknown on purpose.

declare module '@digitalcredentials/ed25519-multikey' {
  export interface Ed25519Signer {
    id?: string;
    algorithm: string;
    sign(input: { data: Uint8Array }): Promise<Uint8Array>;
  }
  export interface Ed25519Verifier {
    id?: string;
    algorithm: string;
    verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
  }
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    publicKey: Uint8Array;
    secretKey?: Uint8Array;
    signer(): Ed25519Signer;
    verifier(): Ed25519Verifier;
  }
  export function generate(options?: {
    id?: string;
    controller?: string;
    seed?: Uint8Array;
  }): Promise<Ed25519KeyPair>;
  export function from(key: {
    id?: string;
    controller?: string;
    type?: string;
    '@context'?: string | string[];
    publicKeyMultibase?: string;
    secretKeyMultibase?: string;
  }): Promise<Ed25519KeyPair>;
}

declare module '@digitalcredentials/data-integrity' {
  export interface Cryptosuite {
    name: string;
    requiredAlgorithm: string | string[];
    canonize(input: unknown, options: unknown): Promise<string>;
    createVerifier(options: { verificationMethod: unknown }): Promise<unknown>;
  }
  export class DataIntegrityProof {
    constructor(options: {
      cryptosuite: Cryptosuite;
      signer?: import('@digitalcredentials/ed25519-multikey').Ed25519Signer;
      date?: Date | string | null;
    });
    readonly verificationMethod?: string;
  }
}

declare module '@digitalcredentials/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: import('@digitalcredentials/data-integrity').Cryptosuite;
}

declare module '@digitalcredentials/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: { key?: import('@digitalcredentials/ed25519-multikey').Ed25519KeyPair });
  }
}

declare module '@digitalcredentials/vc' {
  export interface RemoteDocument {
    contextUrl?: string | null;
    documentUrl?: string;
    document: unknown;
  }
  export type LoadDocument = (url: string) => Promise<RemoteDocument>;
  export interface VerifyLogEntry {
    id: string;
    valid: boolean;
  }
  export interface VerifyFailure extends Error {
    log?: VerifyLogEntry[];
    errors?: Error[];
  }
  export interface VerifyCredentialResult {
    verified: boolean;
    log?: VerifyLogEntry[];
    error?: VerifyFailure;
    /** One entry per proof checked, with the verification method it resolved to. */
    results?: Array<{ verified?: boolean; verificationMethod?: { id?: string; controller?: unknown } }>;
  }
  export function issue(options: {
    credential: object;
    suite: object;
    documentLoader: LoadDocument;
    now?: Date | string;
  }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: object;
    suite: object | object[];
    documentLoader: LoadDocument;
    checkStatus?: () => Promise<{ verified: boolean }>;
    now?: Date | string;
    /** The controller document to judge the key by, instead of loading it. */
    controller?: object;
  }): Promise<VerifyCredentialResult>;
  /** Derives a selective-disclosure credential from one carrying a base proof (ecdsa-sd-2023, say). */
  export function derive(options: {
    verifiableCredential: object;
    suite: object;
    documentLoader: LoadDocument;
  }): Promise<Record<string, unknown>>;
  /** Signs a presentation; with no `purpose`, an authentication proof carrying `challenge` (and `domain`). */
  export function signPresentation(options: {
    presentation: object;
    suite: object;
    documentLoader: LoadDocument;
    challenge?: string;
    domain?: string;
    purpose?: object;
  }): Promise<Record<string, unknown>>;
}

declare module '@digitalcredentials/jsonld-signatures' {
  /** What a proof purpose decided about one proof, with the controller document it judged the key by. */
  export interface PurposeResult {
    valid: boolean;
    error?: Error;
    controller?: { id?: unknown };
  }
  export class ProofPurpose {
    readonly term: string;
  }
  export class ControllerProofPurpose extends ProofPurpose {
    constructor(options: { term: string; controller?: object; date?: Date | string });
    validate(
      proof: Record<string, unknown>,
      options: { verificationMethod: { id?: string; controller?: unknown }; documentLoader: unknown },
    ): Promise<PurposeResult>;
  }
  export class AssertionProofPurpose extends ControllerProofPurpose {
    constructor(options?: { controller?: object });
  }
  export class AuthenticationProofPurpose extends ControllerProofPurpose {
    constructor(options: { challenge: string; domain?: string; controller?: object });
  }
  export interface ProofResult {
    proof?: Record<string, unknown>;
    verified: boolean;
    verificationMethod?: { id?: string; controller?: unknown };
    purposeResult?: PurposeResult;
    error?: Error;
  }
  export interface VerifyResult {
    verified: boolean;
    results?: ProofResult[];
    error?: Error & { errors?: Error[] };
  }
  const jsigs: {
    verify(
      document: object,
      options: { suite: object | object[]; purpose: ProofPurpose; documentLoader: unknown },
    ): Promise<VerifyResult>;
    purposes: {
      ControllerProofPurpose: typeof ControllerProofPurpose;
      AssertionProofPurpose: typeof AssertionProofPurpose;
      AuthenticationProofPurpose: typeof AuthenticationProofPurpose;
    };
  };
  export default jsigs;
}

declare module '@digitalbazaar/ecdsa-multikey' {
  export interface EcdsaKeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    signer(): { id?: string; algorithm: string; sign(input: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): {
      id?: string;
      algorithm: string;
      verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
    };
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<Record<string, unknown>>;
  }
  export function generate(options: {
    curve: 'P-256' | 'P-384' | 'P-521';
    id?: string;
    controller?: string;
  }): Promise<EcdsaKeyPair>;
  export function from(key: Record<string, unknown>): Promise<EcdsaKeyPair>;
  export function toJwk(options: { keyPair: EcdsaKeyPair; secretKey?: boolean }): Promise<import('jose').JWK>;
}

declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: import('@digitalcredentials/data-integrity').Cryptosuite;
}

declare module '@digitalbazaar/ecdsa-sd-2023-cryptosuite' {
  type Cryptosuite = import('@digitalcredentials/data-integrity').Cryptosuite;
  export function createVerifyCryptosuite(): Cryptosuite;
  export function createSignCryptosuite(options?: { mandatoryPointers?: string[] }): Cryptosuite;
  export function createDiscloseCryptosuite(options: { selectivePointers: string[] }): Cryptosuite;
}
