import { createDocumentLoader } from '../credentials/document-loader.ts';
import { verifyDataIntegrityProof } from './check-data-integrity-proof.ts';
import { checkDates } from './check-dates.ts';
import { checkIssuer } from './check-issuer.ts';
import { verifyJwtProof } from './check-jwt-proof.ts';
import { checkSchema } from './check-schema.ts';
import { checkStatus } from './check-status.ts';
import { readPresentedBadge } from './read-presented-badge.ts';
import {
  CHECK_ORDER,
  type Check,
  type CheckId,
  type PresentedBadge,
  type VerificationResult,
  type VerifierDeps,
} from './verification-types.ts';

/** Runs one check, turning an unexpected exception into a failed check instead of a thrown error. */
async function guarded(id: CheckId, run: () => Check | Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { id, status: 'failed', message: `This check could not be completed: ${detail}` };
  }
}

const skippedAll = (message: string): Check[] =>
  CHECK_ORDER.filter((id) => id !== 'format').map((id) => ({ id, status: 'skipped' as const, message }));

/**
 * Verifies a presented Open Badge (JSON-LD with an embedded proof, or a VC-JWT) and reports six checks
 * in plain words: format, schema, proof, dates, status and issuer. It never throws; bad input comes
 * back as a failed check. `verified` is true only when the signature is valid and no check failed.
 */
export async function verifyPresentedBadge(
  input: PresentedBadge,
  deps: VerifierDeps,
): Promise<VerificationResult> {
  const read = readPresentedBadge(input);
  if (!read.ok) {
    return {
      verified: false,
      format: read.format,
      checks: [
        { id: 'format', status: 'failed', message: read.message },
        ...skippedAll('Not checked, because the badge could not be read.'),
      ],
    };
  }
  const { credential, format } = read;
  const documentLoader = createDocumentLoader({ resolveDidWeb: (did) => deps.resolveDid(did) });

  const formatCheck: Check = {
    id: 'format',
    status: 'passed',
    message: format === 'jwt' ? 'An Open Badge in VC-JWT form.' : 'An Open Badge in JSON-LD form.',
  };
  const schema = await guarded('schema', () => checkSchema(credential));
  const proof = await guarded('proof', async () => {
    const verdict =
      read.format === 'jwt'
        ? await verifyJwtProof(read.jwt, credential, documentLoader)
        : await verifyDataIntegrityProof(credential, documentLoader, deps.checkOwnProof);
    return { id: 'proof', ...verdict };
  });
  const dates = await guarded('dates', () => checkDates(credential, deps.now));
  // An entry we cannot trust (bad signature) must not send us fetching the address it names.
  const status =
    proof.status === 'passed'
      ? await guarded('status', () => checkStatus(credential, deps, documentLoader))
      : {
          id: 'status' as const,
          status: 'skipped' as const,
          message: 'Not checked, because the signature is not valid.',
        };
  const issuer = await guarded('issuer', () => checkIssuer(credential, deps.ourIssuerDids, proof.status));

  const checks = [formatCheck, schema, proof, dates, status, issuer];
  const verified = proof.status === 'passed' && checks.every((check) => check.status !== 'failed');
  return { verified, credential, format, checks };
}
