import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import {
  ACCEPTED_ALGORITHM_NAMES,
  ACCEPTED_ALGORITHMS,
  algorithmOfKey,
  jwtTimeProblem,
} from './check-jwt-proof.ts';
import {
  type ExpectedProof,
  holderIdOf,
  type PresentationCheck,
  skippedPresentationCheck as skipped,
} from './check-presentation-proof.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import { HOLDER_KEY, resolveJwtKey } from './resolve-jwt-key.ts';

/** A presentation secured as a JWT (VC-JOSE-COSE §3.2): the payload is the presentation itself. */
export interface PresentationJwt {
  text: string;
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ENVELOPED_VP = 'data:application/vp+jwt,';
// vp+ld+jwt is what VC-JOSE-COSE's drafts used; compared as a media type, without "application/" or case.
const VP_TYPES = ['vp+jwt', 'vp+ld+jwt'];

export type EnvelopeReading =
  | { kind: 'none' }
  | { kind: 'jwt'; jwt: PresentationJwt }
  | { kind: 'unreadable'; field: string; reason: string };

const isEnveloped = (value: JsonObject): boolean =>
  (Array.isArray(value.type) ? value.type : [value.type]).includes('EnvelopedVerifiablePresentation');

/**
 * Reads a VP-JWT: a compact JWT string, or an `EnvelopedVerifiablePresentation` whose id is
 * `data:application/vp+jwt,<jwt>`. `none` for anything else (a Data Integrity presentation, read as it is).
 */
export function readPresentationJwt(value: unknown, root: string): EnvelopeReading {
  let text: string;
  let field = root;
  if (typeof value === 'string') text = value.trim();
  else if (isObject(value) && isEnveloped(value)) {
    field = `${root}.id`;
    const id = typeof value.id === 'string' ? value.id : '';
    if (!id.startsWith(ENVELOPED_VP)) {
      return { kind: 'unreadable', field, reason: `must start with ${ENVELOPED_VP} (a VP-JWT)` };
    }
    text = id.slice(ENVELOPED_VP.length).trim();
  } else return { kind: 'none' };
  if (!JWT_SHAPE.test(text)) {
    return {
      kind: 'unreadable',
      field,
      reason: 'is not a compact JWT (three dot-separated base64url parts)',
    };
  }
  try {
    return { kind: 'jwt', jwt: { text, header: decodeProtectedHeader(text), payload: decodeJwt(text) } };
  } catch {
    return { kind: 'unreadable', field, reason: 'is a JWT whose header or payload could not be decoded' };
  }
}

/** What the header says before any key is looked up: a refusal, or null when it may be checked. */
function headerProblem({ alg, typ }: ProtectedHeaderParameters): string | null {
  if (!alg || alg === 'none') return 'The presentation JWT is not signed (its algorithm is "none").';
  if (!ACCEPTED_ALGORITHMS[alg]) {
    return `The presentation JWT is signed with ${alg}, which Stackable does not accept: only ${ACCEPTED_ALGORITHM_NAMES}.`;
  }
  const type = typ?.toLowerCase().replace(/^application\//, '');
  if (!type || !VP_TYPES.includes(type)) {
    return `The JWT is typed "${typ ?? 'nothing'}", not vp+jwt, so it is not presented as a verifiable presentation.`;
  }
  return null;
}

/**
 * VC-JOSE-COSE forbids the `vc` and `vp` claims in a secured presentation as in a credential (a `vp` holding the
 * presentation, VC-JWT 1.1's form, is turned away as unreadable before this).
 */
function claimsProblem(payload: JWTPayload): string | null {
  const forbidden = ['vc', 'vp'].filter((claim) => claim in payload);
  if (forbidden.length === 0) return null;
  return `The presentation JWT carries ${forbidden.map((claim) => `"${claim}"`).join(' and ')} beside the presentation, which VC-JOSE-COSE forbids.`;
}

/** The DID the signing key belongs to: the DID of its `kid`, else the `iss` claim or the holder the presentation names. */
function signerDidOf(jwt: PresentationJwt, presentation: JsonObject): string | undefined {
  const kid = jwt.header.kid;
  if (typeof kid === 'string' && kid.startsWith('did:')) return kid.split('#')[0];
  if (typeof jwt.payload.iss === 'string') return jwt.payload.iss;
  return holderIdOf(presentation);
}

const audiencesOf = (payload: JWTPayload): string[] =>
  (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter(
    (aud): aud is string => typeof aud === 'string',
  );

/** The challenge travels as the `nonce` claim, as VC-JWT holders and OpenID for Verifiable Presentations send it. */
function checkNonce(payload: JWTPayload, expected: string | undefined): PresentationCheck {
  if (expected === undefined) {
    return skipped(
      'challenge',
      'No challenge was asked for, so a copy of this presentation could be replayed.',
    );
  }
  if (payload.nonce !== expected) {
    const given = typeof payload.nonce === 'string' ? `"${payload.nonce}"` : 'none';
    return {
      id: 'challenge',
      status: 'failed',
      message: `The presentation JWT answers challenge (nonce) ${given}, not the "${expected}" asked for: it was made for another request.`,
    };
  }
  return {
    id: 'challenge',
    status: 'passed',
    message: `The presentation JWT answers the challenge "${expected}".`,
  };
}

/** The domain travels as the `aud` claim: the verifier the presentation was made for. */
function checkAudience(payload: JWTPayload, expected: string | undefined): PresentationCheck {
  if (expected === undefined) return skipped('domain', 'No domain was asked for.');
  const audiences = audiencesOf(payload);
  if (!audiences.includes(expected)) {
    return {
      id: 'domain',
      status: 'failed',
      message: `The presentation JWT was made for ${audiences.join(', ') || 'no audience'} (aud), not ${expected}: it was meant for another verifier.`,
    };
  }
  return { id: 'domain', status: 'passed', message: `The presentation JWT was made for ${expected}.` };
}

/**
 * Checks a VP-JWT's own proof: its header, its time claims, and its EdDSA, ES256, ES384 or RS256 signature by a key the
 * signer's DID document lists under `authentication`; then the challenge (`nonce`), the domain (`aud`) and that the
 * signer is the holder named. Returns the checks after `format` and, when the signature holds, the signer's DID.
 * Bad input never throws; only our own side failing does.
 */
export async function checkPresentationJwt(
  jwt: PresentationJwt,
  presentation: JsonObject,
  expected: ExpectedProof,
  documentLoader: DocumentLoader,
  now: Date,
): Promise<{ checks: PresentationCheck[]; signer: string | null }> {
  const holder = holderIdOf(presentation);
  const proof = await checkSignature(jwt, presentation, documentLoader, now);
  const signer = proof.status === 'passed' ? (proof.signer ?? null) : null;
  let holderCheck: PresentationCheck;
  if (signer === null) holderCheck = skipped('holder', 'Not checked, because the proof is not valid.');
  else if (holder === undefined) {
    holderCheck = {
      id: 'holder',
      status: 'passed',
      message: `No holder is named; ${signer} signed the presentation.`,
    };
  } else if (holder !== signer) {
    holderCheck = {
      id: 'holder',
      status: 'failed',
      message: `The presentation names ${holder} as its holder, but ${signer} signed it.`,
    };
  } else holderCheck = { id: 'holder', status: 'passed', message: `Signed by its holder, ${holder}.` };
  return {
    checks: [
      { id: 'proof', status: proof.status, message: proof.message },
      checkNonce(jwt.payload, expected.challenge),
      checkAudience(jwt.payload, expected.domain),
      holderCheck,
    ],
    signer,
  };
}

async function checkSignature(
  jwt: PresentationJwt,
  presentation: JsonObject,
  documentLoader: DocumentLoader,
  now: Date,
): Promise<{ status: 'passed' | 'failed'; message: string; signer?: string }> {
  const failed = (message: string) => ({ status: 'failed' as const, message });
  const refused = headerProblem(jwt.header) ?? claimsProblem(jwt.payload);
  if (refused) return failed(refused);
  const alg = jwt.header.alg!;
  const signerDid = signerDidOf(jwt, presentation);
  if (!signerDid)
    return failed('The presentation JWT does not say who signed it (no "kid", "iss" or holder).');
  if (typeof jwt.payload.iss === 'string' && jwt.payload.iss !== signerDid) {
    return failed(
      `The JWT's iss (${jwt.payload.iss}) is not the DID of the key that signed it (${signerDid}).`,
    );
  }
  const outside = jwtTimeProblem(jwt, now);
  if (outside) return failed(outside.replace(/^The JWT/, 'The presentation JWT'));
  try {
    const resolved = await resolveJwtKey(jwt.header, signerDid, documentLoader, HOLDER_KEY);
    if (!resolved.ok) return failed(resolved.message);
    if (algorithmOfKey(resolved.jwk) !== ACCEPTED_ALGORITHMS[alg]) {
      return failed(
        `The presentation JWT says it is signed with ${alg}, but the key ${resolved.keyId} is not a key for ${alg}.`,
      );
    }
    await compactVerify(jwt.text, await importJWK(resolved.jwk, alg), { algorithms: [alg] });
    return {
      status: 'passed',
      message: `The holder's ${alg} signature of the presentation JWT is valid (key ${resolved.keyId}).`,
      signer: resolved.keyId.split('#')[0],
    };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return failed(
        'The holder’s signature does not match the presentation: it was changed after it was signed, or signed with another key.',
      );
    }
    const detail = error instanceof Error ? error.message : String(error);
    return failed(`The holder's public key could not be used: ${detail}`);
  }
}
