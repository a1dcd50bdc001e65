import { createDocumentLoader } from '../credentials/document-loader.ts';
import { countOf } from '../platform/words.ts';
import { checkPresentationJwt, readPresentationJwt } from './check-presentation-jwt.ts';
import {
  checkPresentationProof,
  type ExpectedProof,
  holderIdOf,
  type PresentationCheck,
} from './check-presentation-proof.ts';
import { watchOwnSide } from './own-side-failure.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { VerifierDeps } from './verification-types.ts';

/** More credentials than any real presentation holds; each costs a signature check, so the count is bounded. */
export const MAX_PRESENTED_CREDENTIALS = 20;

const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** What a presentation says about itself and its own proof, before its credentials are counted. */
export interface PresentationResult {
  verified: boolean;
  /** A proofless presentation (VC-API `presentation`): only its credentials were checked. */
  proofless: boolean;
  /** The DID whose key made a valid holder's proof; null without one. */
  signer: string | null;
  checks: PresentationCheck[];
}

/** A presentation and what each credential in it came to, by whatever the credential verifier reports. */
export interface PresentationReport<Report> {
  verified: boolean;
  presentationResult: PresentationResult;
  credentialResults: Report[];
}

export type PresentationReading<Report> =
  | { ok: true; report: PresentationReport<Report> }
  /** Not a presentation at all: the caller answers 400 naming the field. */
  | { ok: false; field: string; reason: string };

export interface PresentationRequest extends ExpectedProof {
  /** True for the VC-API's proofless request, whose presentation need carry no proof. */
  proofless: boolean;
}

export interface PresentationDeps<Report> {
  verifier: VerifierDeps;
  /** Verifies one credential exactly as a credential on its own would be. */
  verifyCredential(credential: unknown): Promise<Report>;
  isVerified(report: Report): boolean;
}

const unreadable = <R>(field: string, reason: string): PresentationReading<R> => ({
  ok: false,
  field,
  reason,
});

/**
 * Verifies a VC 2.0 verifiable presentation, with a Data Integrity proof or secured as a VP-JWT (a compact JWT or an
 * EnvelopedVerifiablePresentation): its holder's proof (unless the request is proofless), then each
 * credential it holds, each by the credential verifier. Verified only when the presentation's checks pass and every
 * credential is verified. Bad input never throws; our own side failing does.
 */
export async function verifyPresentation<Report>(
  value: unknown,
  request: PresentationRequest,
  deps: PresentationDeps<Report>,
): Promise<PresentationReading<Report>> {
  const root = request.proofless ? 'presentation' : 'verifiablePresentation';
  const enveloped = readPresentationJwt(value, root);
  if (enveloped.kind === 'unreadable') return unreadable(enveloped.field, enveloped.reason);
  const jwt = enveloped.kind === 'jwt' ? enveloped.jwt : null;
  if (jwt && request.proofless) {
    return unreadable(root, 'is a VP-JWT, which carries its own proof: send it as verifiablePresentation');
  }
  if (jwt && isObject(jwt.payload.vp)) {
    return unreadable(
      root,
      'is a VC-JWT 1.1 presentation (a "vp" claim), which Stackable does not verify: VC-JOSE-COSE puts the presentation itself in the payload',
    );
  }
  const read = readPresentation(jwt ? jwt.payload : value, root);
  if (!read.ok) return unreadable(read.field, read.reason);
  const { presentation, credentials } = read;
  const format: PresentationCheck = {
    id: 'format',
    status: 'passed',
    message: `A verifiable presentation${jwt ? ' secured as a JWT (VP-JWT)' : ''} holding ${countOf(credentials.length, 'credential')}.`,
  };

  let checks: PresentationCheck[];
  let signer: string | null = null;
  if (request.proofless && presentation.proof === undefined) {
    checks = prooflessChecks(request, holderIdOf(presentation));
  } else {
    const ownSide = watchOwnSide(deps.verifier);
    const watched = ownSide.deps;
    const documentLoader = createDocumentLoader({ resolveDidWeb: (did) => watched.resolveDid(did) });
    const fetchKey =
      watched.fetchKeyDocument && ((url: string) => watched.fetchKeyDocument?.(url) ?? Promise.resolve(null));
    ({ checks, signer } = jwt
      ? await checkPresentationJwt(jwt, presentation, request, documentLoader, watched.now)
      : await checkPresentationProof(presentation, request, documentLoader, fetchKey));
    ownSide.rethrow();
  }
  const presentationVerified = checks.every((check) => check.status !== 'failed');

  // One after another: each is CPU-bound signature work, and the verify limit counts requests, not credentials.
  const credentialResults: Report[] = [];
  for (const credential of credentials) credentialResults.push(await deps.verifyCredential(credential));

  return {
    ok: true,
    report: {
      verified: presentationVerified && credentialResults.every(deps.isVerified),
      presentationResult: {
        verified: presentationVerified,
        proofless: request.proofless && presentation.proof === undefined,
        signer,
        checks: [format, ...checks],
      },
      credentialResults,
    },
  };
}

/** A proofless presentation shows nobody presented it, so a challenge or domain asked for cannot be met. */
function prooflessChecks(request: ExpectedProof, holder: string | undefined): PresentationCheck[] {
  const unmet = (id: 'challenge' | 'domain', asked: string | undefined): PresentationCheck =>
    asked === undefined
      ? { id, status: 'skipped', message: `No ${id} was asked for.` }
      : {
          id,
          status: 'failed',
          message: `A ${id} was asked for, but a presentation without a proof cannot answer it.`,
        };
  return [
    {
      id: 'proof',
      status: 'skipped',
      message:
        'A proofless presentation (allowed by the VC-API): nothing shows who presented it; only its credentials are checked.',
    },
    unmet('challenge', request.challenge),
    unmet('domain', request.domain),
    {
      id: 'holder',
      status: 'skipped',
      message: holder ? `It names ${holder} as its holder, which no proof confirms.` : 'It names no holder.',
    },
  ];
}

type Read =
  | { ok: true; presentation: JsonObject; credentials: unknown[] }
  | { ok: false; field: string; reason: string };

/** The VC 2.0 data model's rules for a presentation, as far as they decide whether it can be read at all. */
function readPresentation(value: unknown, root: string): Read {
  const fail = (field: string, reason: string): Read => ({ ok: false, field, reason });
  if (!isObject(value)) return fail(root, 'must be a JSON object');
  const contexts = Array.isArray(value['@context']) ? value['@context'] : [value['@context']];
  if (contexts[0] !== VC_V2_CONTEXT) {
    return fail(`${root}.@context`, `must begin with ${VC_V2_CONTEXT} (VC Data Model 2.0)`);
  }
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (!types.includes('VerifiablePresentation')) {
    return fail(`${root}.type`, 'must include VerifiablePresentation');
  }
  if (value.holder !== undefined && holderIdOf(value) === undefined) {
    return fail(`${root}.holder`, 'must be a URL, or an object with an id');
  }
  const listed = value.verifiableCredential;
  const credentials = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
  if (credentials.length > MAX_PRESENTED_CREDENTIALS) {
    return fail(
      `${root}.verifiableCredential`,
      `holds ${credentials.length} credentials; at most ${MAX_PRESENTED_CREDENTIALS} are checked in one request`,
    );
  }
  const notObject = credentials.findIndex((credential) => !isObject(credential));
  if (notObject >= 0) {
    return fail(
      `${root}.verifiableCredential[${notObject}]`,
      'must be a verifiable credential object or an EnvelopedVerifiableCredential',
    );
  }
  return { ok: true, presentation: value, credentials };
}
