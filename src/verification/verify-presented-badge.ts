import { createDocumentLoader } from '../credentials/document-loader.ts';
import { verifyDataIntegrityProof } from './check-data-integrity-proof.ts';
import { checkDates } from './check-dates.ts';
import { checkIssuer, claimedIssuerNameOf } from './check-issuer.ts';
import { issuerIdOf, jwtTimeProblem, verifyJwtProof } from './check-jwt-proof.ts';
import { checkSchema, hasSchemaFor } from './check-schema.ts';
import { checkStatus } from './check-status.ts';
import { credentialKindOf, kindWords, mainTypeOf } from './credential-kind.ts';
import { decideIssuerTrust, type IssuerTrust } from './issuer-trust.ts';
import { isOwnSideFailure, watchOwnSide } from './own-side-failure.ts';
import { readPresentedBadge } from './read-presented-badge.ts';
import { isVerifiedAndTrusted } from './verdict.ts';
import {
  CHECK_ORDER,
  type Check,
  type CheckId,
  type PresentedBadge,
  type VerificationResult,
  type VerifierDeps,
} from './verification-types.ts';

/**
 * Runs one check, turning an unexpected exception about the badge into a failed check instead of a thrown error.
 * A failure of our own side is no fact about the badge, so it goes on up.
 */
async function guarded(id: CheckId, run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    return failedCheck(id, error);
  }
}

/**
 * guarded for a check that needs nothing outside the badge (schema, dates, issuer): the same answers without the
 * promises, of which a verification otherwise makes several for checks that never wait.
 */
function guardedNow(id: CheckId, run: () => Check): Check {
  try {
    return run();
  } catch (error) {
    return failedCheck(id, error);
  }
}

function failedCheck(id: CheckId, error: unknown): Check {
  if (isOwnSideFailure(error)) throw error;
  const detail = error instanceof Error ? error.message : String(error);
  return { id, status: 'failed', message: `This check could not be completed: ${detail}` };
}

/** The trust of a badge that could not be read: nobody signed anything we could check. */
const unreadableTrust: IssuerTrust = {
  level: 'unverified',
  signer: null,
  name: null,
  claimedName: null,
  usesOurName: false,
  message: 'The badge could not be read, so nobody can be named as its signer.',
};

/** Why no schema check ran, for credentials of no kind Stackable holds an official schema for. */
const NO_SCHEMA =
  'Not an Open Badge, endorsement or CLR, so no 1EdTech schema applies; its signature, dates and status are checked as for any VC 2.0 credential.';

const skippedAll = (message: string): Check[] =>
  CHECK_ORDER.filter((id) => id !== 'format').map((id) => ({ id, status: 'skipped' as const, message }));

/**
 * Verifies a presented Open Badge (JSON-LD with an embedded proof, or a VC-JWT) and reports six checks
 * in plain words: format, schema, proof, dates, status and issuer, and who really signed it. Bad input never
 * throws: it comes back as a failed check. Only a failure of our own side (a dependency rejecting with an AppError,
 * the database down, say) is thrown, because no verdict can be given then. `verified` is the people's verdict
 * (verdict.ts): the signature is valid, no check failed and the signer is ours or a known issuer.
 */
export async function verifyPresentedBadge(
  input: PresentedBadge,
  unwatchedDeps: VerifierDeps,
): Promise<VerificationResult> {
  const read = readPresentedBadge(input);
  if (!read.ok) {
    return {
      verified: false,
      issuerTrust: unreadableTrust,
      format: read.format,
      checks: [
        { id: 'format', status: 'failed', message: read.message },
        ...skippedAll('Not checked, because the badge could not be read.'),
      ],
    };
  }
  const { credential, format } = read;
  const ownSide = watchOwnSide(unwatchedDeps);
  const deps = ownSide.deps;
  const documentLoader = createDocumentLoader({ resolveDidWeb: (did) => deps.resolveDid(did) });

  const kind = credentialKindOf(credential);
  // The type name is given only for a credential nobody here has words for; the others are named plainly.
  const what = {
    'open-badge': 'An Open Badge',
    endorsement: 'An endorsement (Open Badges 3.0)',
    clr: 'A Comprehensive Learner Record (CLR 2.0)',
    credential: `A verifiable credential (${mainTypeOf(credential)})`,
  }[kind];
  const formatCheck: Check = {
    id: 'format',
    status: 'passed',
    message: `${what} in ${format === 'jwt' ? 'VC-JWT' : 'JSON-LD'} form.`,
  };
  const schema: Check = hasSchemaFor(kind)
    ? guardedNow('schema', () => checkSchema(credential, kind))
    : { id: 'schema', status: 'skipped', message: NO_SCHEMA };
  let signerDid: string | null = null;
  const fetchKeyDocument =
    deps.fetchKeyDocument && ((url: string) => deps.fetchKeyDocument?.(url) ?? Promise.resolve(null));
  const proof = await guarded('proof', async () => {
    const { signer, ...verdict } =
      read.format === 'jwt'
        ? await verifyJwtProof(read.jwt, credential, documentLoader, fetchKeyDocument)
        : await verifyDataIntegrityProof(credential, documentLoader, deps.checkOwnProof, fetchKeyDocument);
    signerDid = verdict.status === 'passed' ? (signer ?? null) : null;
    return { id: 'proof', ...verdict };
  });
  ownSide.rethrow();
  const dates = guardedNow('dates', () => {
    const stated = checkDates(credential, deps.now, `This ${kindWords[kind].noun}`, deps.timeZone);
    // A VC-JWT's exp and nbf are validity dates too: judged here, as any credential's, not as its signature.
    const outside =
      stated.status !== 'failed' &&
      read.format === 'jwt' &&
      jwtTimeProblem(read.jwt, deps.now, deps.timeZone);
    return outside ? { id: 'dates', status: 'failed', message: outside } : stated;
  });
  // An entry we cannot trust (bad signature) must not send us fetching the address it names.
  const status =
    proof.status === 'passed'
      ? await guarded('status', () => checkStatus(credential, deps, documentLoader, kindWords[kind].noun))
      : {
          id: 'status' as const,
          status: 'skipped' as const,
          message: 'Not checked, because the signature is not valid.',
        };
  ownSide.rethrow();
  const issuerTrust = decideIssuerTrust({
    proofPassed: proof.status === 'passed',
    signerDid,
    issuerId: issuerIdOf(credential) ?? null,
    claimedName: claimedIssuerNameOf(credential),
    ourDids: deps.ourIssuerDids,
    ourName: deps.ourIssuerName ?? 'this institution',
    knownIssuer: (did) => deps.knownIssuer?.(did) ?? null,
  });
  const issuer = guardedNow('issuer', () => checkIssuer(issuerTrust, proof.status));

  const checks = [formatCheck, schema, proof, dates, status, issuer];
  return { verified: isVerifiedAndTrusted(checks, issuerTrust), issuerTrust, credential, format, checks };
}
