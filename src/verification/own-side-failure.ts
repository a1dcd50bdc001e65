import { AppError } from '../platform/errors.ts';
import type { VerifierDeps } from './verification-types.ts';

/**
 * A dependency rejects with an AppError when our own side failed (the database, say). That is no fact about the
 * badge, so it ends the verification instead of failing a check. Any other rejection (a list or DID document that
 * cannot be had) is about the badge's issuer and stays a check result.
 */
export const isOwnSideFailure = (error: unknown): error is AppError => error instanceof AppError;

/**
 * The deps, watched for own-side failures. The signature libraries catch what the document loader throws and
 * report it as a bad signature, so the failure is noted on its way through and `rethrow()` raises it after a check.
 */
export function watchOwnSide(deps: VerifierDeps): { deps: VerifierDeps; rethrow(): void } {
  let failure: AppError | undefined;
  const watched =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (isOwnSideFailure(error)) failure ??= error;
        throw error;
      }
    };
  const { checkOwnProof } = deps;
  // Object.assign, not a spread followed by more fields: that costs µs on this Node, on every verification.
  return {
    deps: Object.assign(
      {},
      deps,
      { resolveDid: watched(deps.resolveDid), fetchStatusList: watched(deps.fetchStatusList) },
      checkOwnProof ? { checkOwnProof: watched(checkOwnProof) } : {},
    ),
    rethrow() {
      if (failure) throw failure;
    },
  };
}
