import * as vc from '@digitalcredentials/vc';
import { type DocumentLoader, didKeyDocument } from '../credentials/document-loader.ts';
import { isOwnSideFailure } from './own-side-failure.ts';
import {
  ECDSA_CRYPTOSUITES,
  eddsaVerifySuite,
  loadEcdsaSuite,
  loadEd25519Signature2020Suite,
} from './proof-suites.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import { type FetchKeyDocument, withRemoteKeys } from './remote-key-loader.ts';
import type { CheckStatus, VerifierDeps } from './verification-types.ts';

export interface ProofVerdict {
  status: CheckStatus;
  message: string;
  /** On a valid signature: the DID that controls the key that made it (the part of the key id before `#`). */
  signer?: string;
}

const EDDSA = 'eddsa-rdfc-2022';
const ED25519_2020 = 'Ed25519Signature2020';
/**
 * The draft name of eddsa-rdfc-2022, withdrawn before the W3C Recommendation. The library verifies only the final
 * name, and a proof's cryptosuite is part of what was signed, so such proofs are reported as unsupported rather
 * than checked under a name they do not carry.
 */
const DRAFT_EDDSA = 'eddsa-2022';

/** The first key a proof names, or "its issuer" when none names one. */
function signerOf(proofs: JsonObject[]): string {
  for (const proof of proofs) {
    const method = String(proof.verificationMethod ?? '');
    if (method) return method;
  }
  return 'its issuer';
}

/**
 * The one DID whose keys made the proofs; undefined when they name none or several, for then no single signer
 * can be named (issuer trust treats that as unverified). A loop, not a Set: every verification asks it twice.
 */
function signerDidOf(proofs: JsonObject[]): string | undefined {
  let did: string | undefined;
  for (const proof of proofs) {
    const method = proof.verificationMethod;
    const each = typeof method === 'string' ? (method.split('#')[0] ?? '') : '';
    if (did === undefined) did = each;
    else if (each !== did) return undefined;
  }
  return did || undefined;
}

/** Human name of a proof's signature method, e.g. `eddsa-rdfc-2022`. */
function methodOf(proof: JsonObject): string {
  if (proof.type === 'DataIntegrityProof')
    return String(proof.cryptosuite ?? 'DataIntegrityProof (no cryptosuite)');
  return String(proof.type ?? 'an untyped proof');
}

/**
 * An ecdsa-sd-2023 base proof: its proofValue is multibase base64url ('u') of CBOR starting with the bytes d9 5d 00
 * (a derived proof starts d9 5d 01), which base64url writes as "2V0A".
 */
const isSelectiveDisclosureBaseProof = (proof: JsonObject): boolean =>
  proof.cryptosuite === 'ecdsa-sd-2023' &&
  typeof proof.proofValue === 'string' &&
  proof.proofValue.startsWith('u2V0A');

/**
 * Verifies the embedded Data Integrity proof of a JSON-LD document (a badge or a status list), including
 * that the signing key belongs to the document's issuer and is listed for assertions in its DID document.
 * Dates and status are left to their own checks. Throws only a failure of our own side (see own-side-failure.ts).
 */
export async function verifyDataIntegrityProof(
  document: JsonObject,
  documentLoader: DocumentLoader,
  checkOwnProof?: VerifierDeps['checkOwnProof'],
  fetchKeyDocument?: FetchKeyDocument,
): Promise<ProofVerdict> {
  const proofs = (Array.isArray(document.proof) ? document.proof : [document.proof]).filter(isObject);
  if (proofs.length === 0) return { status: 'failed', message: 'It has no digital signature.' };

  // Our own signatures are checked without the JSON-LD libraries; only a valid one is taken from there. When the
  // fast check cannot read the document the full check decides, but our own side failing decides nothing.
  let isOurs = false;
  try {
    if (checkOwnProof) isOurs = (await checkOwnProof(document)).status === 'valid';
  } catch (error) {
    if (isOwnSideFailure(error)) throw error;
  }
  if (isOurs) {
    return {
      status: 'passed',
      message: `The ${methodOf(proofs[0]!)} signature is valid (key ${signerOf(proofs)}).`,
      signer: signerDidOf(proofs),
    };
  }
  const methods = proofs.map(methodOf);
  const suites: object[] = [];
  if (methods.includes(EDDSA)) suites.push(eddsaVerifySuite);
  for (const name of ECDSA_CRYPTOSUITES) if (methods.includes(name)) suites.push(await loadEcdsaSuite(name));
  if (methods.includes(ED25519_2020)) {
    const legacy = await loadEd25519Signature2020Suite();
    if (legacy) suites.push(legacy);
  }
  if (suites.length === 0) {
    // A signature nobody here can check proves nothing, so it fails (with the reason) rather than passing quietly.
    const reason = methods.includes(ED25519_2020)
      ? 'the Ed25519Signature2020 library is not installed on this server'
      : `unsupported cryptosuite or proof type ${methods.join(', ')}${
          methods.includes(DRAFT_EDDSA) ? ` (the withdrawn draft name of ${EDDSA})` : ''
        }; Stackable checks ${[EDDSA, ...ECDSA_CRYPTOSUITES].join(', ')} and ${ED25519_2020}`;
    return { status: 'failed', message: `Its signature could not be checked: ${reason}.` };
  }

  if (proofs.some(isSelectiveDisclosureBaseProof)) {
    return {
      status: 'failed',
      message:
        'Its ecdsa-sd-2023 proof is a base proof, which an issuer gives only to the holder; a verifier is shown the derived proof the holder makes from it, disclosing what they choose.',
    };
  }
  const { loader, controller } = await keyLoaderFor(proofs, documentLoader, fetchKeyDocument);
  let result: vc.VerifyCredentialResult;
  try {
    result = await vc.verifyCredential({
      // The suite caches by object identity, so every verification gets its own copy.
      credential: structuredClone(document),
      suite: suites,
      documentLoader: loader,
      controller,
      // Status is checked separately (with our own fetcher), so the library's hook only has to agree.
      checkStatus: async () => ({ verified: true }),
      now: momentInsideValidity(document),
    });
  } catch (error) {
    return { status: 'failed', message: explain(error) };
  }
  // The library goes on to judge dates after the signature; a date failure still logs a valid signature.
  const log = result.log ?? result.error?.log ?? [];
  if (log.some((entry) => entry.id === 'valid_signature' && entry.valid)) {
    return {
      status: 'passed',
      message: `The ${methods[0]} signature is valid (key ${signerOf(proofs)}).`,
      signer: controllerOf(result) ?? signerDidOf(proofs),
    };
  }
  return { status: 'failed', message: explain(result.error?.errors?.[0] ?? result.error) };
}

/**
 * The document loader a proof's keys are found with: https keys fetched as OB 3.0 §8 allows, and a bare did:key
 * read as its one key. `controller` is the did:key's document when the proofs name one that way.
 */
export async function keyLoaderFor(
  proofs: readonly JsonObject[],
  documentLoader: DocumentLoader,
  fetchKeyDocument?: FetchKeyDocument,
): Promise<{ loader: DocumentLoader; controller?: object }> {
  const verificationMethods = proofs.map((proof) => String(proof.verificationMethod ?? ''));
  const loader = withRemoteKeys(documentLoader, verificationMethods, fetchKeyDocument);
  const bareDidKey = bareDidKeyOf(verificationMethods);
  if (!bareDidKey) return { loader };
  // A did:key is one key, so a proof naming the DID alone means that key. The library would take the DID
  // document for the key, so the key is handed over under the DID, and the DID document as its controller.
  const controller = (await didKeyDocument(bareDidKey).catch(() => undefined)) as object | undefined;
  const key = await didKeyDocument(`${bareDidKey}#${bareDidKey.slice('did:key:'.length)}`).catch(() => null);
  return {
    controller,
    loader: async (url) =>
      url === bareDidKey && key ? { contextUrl: null, documentUrl: url, document: key } : loader(url),
  };
}

/** The did:key every proof names without a fragment, if that is how they name it. */
function bareDidKeyOf(verificationMethods: readonly string[]): string | undefined {
  const [first] = verificationMethods;
  const bare = first?.startsWith('did:key:') && !first.includes('#');
  return bare && verificationMethods.every((method) => method === first) ? first : undefined;
}

/**
 * The controller the library confirmed for the key that made the signature: for a key published at an https
 * address it is the controller document's address, which the key's own address need not start with.
 */
function controllerOf(result: vc.VerifyCredentialResult): string | undefined {
  const controllers = new Set((result.results ?? []).map((entry) => entry.verificationMethod?.controller));
  const [controller] = [...controllers];
  return controllers.size === 1 && typeof controller === 'string' && controller.startsWith('https://')
    ? controller
    : undefined;
}

/**
 * The library also judges validity dates, and a badge that is not valid yet makes it throw without
 * saying whether the signature held. Dates have their own check, so the library is asked about the
 * moment the badge became valid, where its date rules cannot object.
 */
function momentInsideValidity(document: JsonObject): Date | undefined {
  const start = document.validFrom ?? document.issuanceDate;
  if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return undefined;
  return new Date(start);
}

/** Turns a library error into a plain sentence about what went wrong. */
function explain(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error ?? 'unknown error');
  if (/invalid signature/i.test(detail)) {
    return 'The signature does not match the contents: the badge was changed after it was signed, or signed with another key.';
  }
  if (/safe mode|undefined term|relative .*IRI|invalid.*@/i.test(detail)) {
    return `The badge contains data its signature cannot cover, a sign it was altered (${detail}).`;
  }
  if (/could not be resolved|has no key|refused to load|unsupported did|did:key/i.test(detail)) {
    return `The issuer's public key could not be found: ${detail}`;
  }
  if (/not authorized by controller|must match the verification method controller/i.test(detail)) {
    return 'The signing key does not belong to the issuer named in the badge.';
  }
  if (/no matching proofs/i.test(detail)) {
    return 'The signature is not of a kind that can prove who issued this badge.';
  }
  return `The signature could not be checked: ${detail}`;
}
