import { compactVerify, decodeProtectedHeader, importSPKI } from 'jose';
import { isOwnSideFailure } from '../own-side-failure.ts';
import { isObject } from '../read-presented-badge.ts';
import type { Check } from '../verification-types.ts';
import { BadgeProblem, check, type Gathered, idOf, listOf, type Ob2Deps } from './ob2-common.ts';
import { verificationKind, verificationOf } from './read-ob2.ts';

// Asymmetric algorithms only: a shared-secret (HS*) or unsigned ("none") JWS proves nothing about its issuer.
const SIGNING_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

export function safeHeader(jws: string) {
  try {
    return decodeProtectedHeader(jws);
  } catch {
    return null;
  }
}

/**
 * The signature of a JWS-signed assertion (OB 2.0 SignedBadge): checked with `verification.creator`, which the issuer
 * Profile must list in `publicKey`, or else each key it lists; a key must carry its own id, name the Profile as
 * owner and hold a PEM public key. Throws BadgeProblem for what ends the check early.
 */
export async function checkSigned(
  jws: string,
  { assertion, profile }: Gathered,
  deps: Ob2Deps,
): Promise<Check> {
  if (verificationKind(assertion) !== 'signed') {
    throw new BadgeProblem('The signed assertion does not declare signed verification (SignedBadge).');
  }
  const alg = safeHeader(jws)?.alg;
  if (!alg || !SIGNING_ALGORITHMS.includes(alg)) {
    throw new BadgeProblem(
      `The JWS uses ${alg ?? 'no algorithm'}, which is not a public-key signature this site accepts.`,
    );
  }
  const listed = listOf(profile.publicKey)
    .map(idOf)
    .filter((id): id is string => id !== null);
  const creator = idOf(verificationOf(assertion)?.creator);
  if (creator && !listed.includes(creator)) {
    throw new BadgeProblem(
      `Signed with the key ${creator}, which the issuer profile ${String(profile.id)} does not list as its own.`,
    );
  }
  const candidates = creator ? [creator] : listed;
  if (candidates.length === 0)
    throw new BadgeProblem('The issuer profile lists no public key to check the signature with.');
  const refusals: string[] = [];
  for (const keyId of candidates) {
    const loaded = await deps.load(keyId);
    if (!loaded.ok) {
      refusals.push(`the key ${keyId} could not be loaded (${loaded.problem})`);
      continue;
    }
    const key = loaded.value;
    if (key.id !== keyId || idOf(key.owner) !== profile.id) {
      refusals.push(
        `the key ${keyId} names ${String(idOf(key.owner) ?? 'no one')} as its owner, not the issuer`,
      );
      continue;
    }
    if (typeof key.publicKeyPem !== 'string') {
      refusals.push(`the key ${keyId} has no publicKeyPem`);
      continue;
    }
    try {
      await compactVerify(jws, await importSPKI(key.publicKeyPem, alg));
      return check(
        'proof',
        'passed',
        `Signed with the key ${keyId}, which belongs to the issuer profile ${String(profile.id)}.`,
      );
    } catch (error) {
      if (isOwnSideFailure(error)) throw error;
      refusals.push(`the signature does not match the key ${keyId}`);
    }
  }
  return check('proof', 'failed', `The signature could not be confirmed: ${refusals.join('; ')}.`);
}

/** The Profile's revocation list, when it declares one: the assertion's id (or legacy uid) must not be on it. */
export async function signedStanding({ assertion, profile }: Gathered, deps: Ob2Deps): Promise<Check> {
  const listUrl = idOf(profile.revocationList);
  if (!listUrl)
    return check(
      'status',
      'passed',
      'Its issuer publishes no revocation list, so it has revoked none of its signed badges.',
    );
  const loaded = await deps.load(listUrl);
  if (!loaded.ok)
    return check('status', 'failed', `The issuer's revocation list could not be loaded: ${loaded.problem}`);
  const entries = listOf(loaded.value.revokedAssertions);
  const entry = entries.find((item) =>
    typeof item === 'string'
      ? item === assertion.id
      : isObject(item) &&
        ((item.id !== undefined && item.id === assertion.id) ||
          (item.uid !== undefined && item.uid === assertion.uid)),
  );
  if (entry === undefined) return check('status', 'passed', "Not on its issuer's revocation list.");
  const reason =
    isObject(entry) && typeof entry.revocationReason === 'string'
      ? ` The reason given: ${entry.revocationReason}`
      : '';
  return check('status', 'failed', `Revoked: it is on its issuer's revocation list.${reason}`);
}
