import jsigs, { type ProofResult } from '@digitalcredentials/jsonld-signatures';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import { keyLoaderFor } from './check-data-integrity-proof.ts';
import { eddsaVerifySuite } from './proof-suites.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { FetchKeyDocument } from './remote-key-loader.ts';
import type { CheckStatus } from './verification-types.ts';

/** The checks of a presentation's own proof, in the order they are reported. */
export type PresentationCheckId = 'format' | 'proof' | 'challenge' | 'domain' | 'holder';

export interface PresentationCheck {
  id: PresentationCheckId;
  status: CheckStatus;
  message: string;
}

/** What a verifier asked the holder's proof to carry (VC-API `options`); absent values are not checked. */
export interface ExpectedProof {
  challenge?: string;
  domain?: string;
}

const AUTHENTICATION = 'authentication';
const EDDSA = 'eddsa-rdfc-2022';

/** A check that was not made, with why. */
export const skippedPresentationCheck = (id: PresentationCheckId, message: string): PresentationCheck => ({
  id,
  status: 'skipped',
  message,
});
const skipped = skippedPresentationCheck;

/** The id a presentation gives its holder (a URL, or an object's `id`), if it names one. */
export function holderIdOf(presentation: JsonObject): string | undefined {
  const holder = presentation.holder;
  if (typeof holder === 'string') return holder;
  return isObject(holder) && typeof holder.id === 'string' ? holder.id : undefined;
}

/** A Data Integrity `domain` is one string or a set of them (VC Data Integrity §2.1). */
const domainsOf = (proof: JsonObject): string[] =>
  (Array.isArray(proof.domain) ? proof.domain : [proof.domain]).filter(
    (domain): domain is string => typeof domain === 'string',
  );

/**
 * Checks the proof a holder put on a presentation: an `eddsa-rdfc-2022` Data Integrity proof for `authentication`,
 * made with a key the signer's DID document lists under `authentication`, carrying the challenge and domain the
 * verifier asked for, by the holder the presentation names. Returns the checks after `format` and, when the
 * signature holds, the signer's DID. Bad input never throws; only our own side failing does.
 */
export async function checkPresentationProof(
  presentation: JsonObject,
  expected: ExpectedProof,
  documentLoader: DocumentLoader,
  fetchKeyDocument?: FetchKeyDocument,
): Promise<{ checks: PresentationCheck[]; signer: string | null }> {
  const proofs = (Array.isArray(presentation.proof) ? presentation.proof : [presentation.proof]).filter(
    isObject,
  );
  const notChecked = (why: string) => [
    skipped('challenge', why),
    skipped('domain', why),
    skipped('holder', why),
  ];
  if (proofs.length === 0) {
    const message =
      'The presentation carries no proof by its holder, so nothing shows who presented these credentials. ' +
      'Send it as `presentation` (a proofless request) to have only its credentials checked.';
    return {
      checks: [{ id: 'proof', status: 'failed', message }, ...notChecked('Not checked: there is no proof.')],
      signer: null,
    };
  }
  const authentication = proofs.filter((proof) => proof.proofPurpose === AUTHENTICATION);
  if (authentication.length === 0) {
    const purposes = [...new Set(proofs.map((proof) => String(proof.proofPurpose ?? 'none')))].join(', ');
    const message =
      `The holder's proof has proofPurpose ${purposes}, not ${AUTHENTICATION}: it does not show that the holder ` +
      'presented these credentials.';
    return {
      checks: [
        { id: 'proof', status: 'failed', message },
        ...notChecked('Not checked: no proof for authentication.'),
      ],
      signer: null,
    };
  }

  const challenge = checkChallenge(authentication, expected.challenge);
  const domain = checkDomain(authentication, expected.domain);
  const { checks: proofChecks, signer } = await checkSignature(
    presentation,
    authentication,
    documentLoader,
    fetchKeyDocument,
  );
  const holder = checkHolder(holderIdOf(presentation), signer);
  return { checks: [proofChecks, challenge, domain, holder], signer };
}

function checkChallenge(proofs: JsonObject[], expected: string | undefined): PresentationCheck {
  if (expected === undefined) {
    return skipped(
      'challenge',
      'No challenge was asked for, so a copy of this presentation could be replayed.',
    );
  }
  const wrong = proofs.find((proof) => proof.challenge !== expected);
  if (wrong) {
    const given = typeof wrong.challenge === 'string' ? `"${wrong.challenge}"` : 'none';
    return {
      id: 'challenge',
      status: 'failed',
      message: `The proof answers challenge ${given}, not the "${expected}" asked for: it was made for another request.`,
    };
  }
  return { id: 'challenge', status: 'passed', message: `The proof answers the challenge "${expected}".` };
}

function checkDomain(proofs: JsonObject[], expected: string | undefined): PresentationCheck {
  if (expected === undefined) return skipped('domain', 'No domain was asked for.');
  const wrong = proofs.find((proof) => !domainsOf(proof).includes(expected));
  if (wrong) {
    const given = domainsOf(wrong).join(', ') || 'none';
    return {
      id: 'domain',
      status: 'failed',
      message: `The proof was made for domain ${given}, not ${expected}: it was meant for another verifier.`,
    };
  }
  return { id: 'domain', status: 'passed', message: `The proof was made for ${expected}.` };
}

function checkHolder(holder: string | undefined, signer: string | null): PresentationCheck {
  if (signer === null) return skipped('holder', 'Not checked, because the proof is not valid.');
  if (holder === undefined) {
    return {
      id: 'holder',
      status: 'passed',
      message: `No holder is named; ${signer} signed the presentation.`,
    };
  }
  if (holder !== signer) {
    return {
      id: 'holder',
      status: 'failed',
      message: `The presentation names ${holder} as its holder, but ${signer} signed it.`,
    };
  }
  return { id: 'holder', status: 'passed', message: `Signed by its holder, ${holder}.` };
}

async function checkSignature(
  presentation: JsonObject,
  proofs: JsonObject[],
  documentLoader: DocumentLoader,
  fetchKeyDocument: FetchKeyDocument | undefined,
): Promise<{ checks: PresentationCheck; signer: string | null }> {
  const suites = proofs.map((proof) => proof.cryptosuite);
  if (!suites.includes(EDDSA)) {
    const message = `The holder's proof could not be checked: unsupported cryptosuite or proof type ${suites.map(String).join(', ')}; Stackable checks ${EDDSA}.`;
    return { checks: { id: 'proof', status: 'failed', message }, signer: null };
  }
  const { loader, controller } = await keyLoaderFor(proofs, documentLoader, fetchKeyDocument);
  const purpose = new jsigs.purposes.ControllerProofPurpose({ term: AUTHENTICATION, controller });
  let result: Awaited<ReturnType<typeof jsigs.verify>>;
  try {
    // A copy: the suite caches by object identity, and the library may add to what it is given.
    result = await jsigs.verify(structuredClone(presentation), {
      suite: eddsaVerifySuite,
      purpose,
      documentLoader: loader,
    });
  } catch (error) {
    return { checks: { id: 'proof', status: 'failed', message: explain(error) }, signer: null };
  }
  const valid = result.verified ? result.results?.find((entry) => entry.verified) : undefined;
  if (!valid) {
    const failed = result.results?.find((entry) => !entry.verified);
    const error = failed?.purposeResult?.error ?? failed?.error ?? result.error?.errors?.[0] ?? result.error;
    return { checks: { id: 'proof', status: 'failed', message: explain(error) }, signer: null };
  }
  const signer = signerOf(valid);
  return {
    checks: {
      id: 'proof',
      status: 'passed',
      message: `The holder's ${EDDSA} proof is valid (key ${String(valid.verificationMethod?.id ?? signer)}).`,
    },
    signer,
  };
}

/** The DID whose document authorised the key: the controller the purpose judged it by. */
function signerOf(result: ProofResult): string | null {
  const controller = result.purposeResult?.controller?.id;
  if (typeof controller === 'string') return controller;
  const method = result.verificationMethod?.controller;
  return typeof method === 'string' ? method : null;
}

/** A library error as a sentence about the presentation. */
function explain(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error ?? 'unknown error');
  if (/invalid signature/i.test(detail)) {
    return 'The holder’s signature does not match the presentation: it was changed after it was signed, or signed with another key.';
  }
  if (/not authorized by controller/i.test(detail)) {
    return 'The key that signed the presentation is not one its owner lists for authentication.';
  }
  if (/safe mode|undefined term|relative .*IRI|invalid.*@/i.test(detail)) {
    return `The presentation contains data its signature cannot cover, a sign it was altered (${detail}).`;
  }
  if (/could not be resolved|has no key|unsupported did|did:key|not found/i.test(detail)) {
    return `The holder's public key could not be found: ${detail}`;
  }
  return `The holder's signature could not be checked: ${detail}`;
}
