import type { DocumentLoader } from '../credentials/document-loader.ts';
import { isDeeplyFrozen } from '../credentials/own-proofs.ts';
import { statusBitOf } from '../credentials/status-list.ts';
import { verifyDataIntegrityProof } from './check-data-integrity-proof.ts';
import { datesProblem } from './check-dates.ts';
import { issuerIdOf } from './check-jwt-proof.ts';
import { isOwnSideFailure } from './own-side-failure.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { Check, CheckStatus, VerifierDeps } from './verification-types.ts';

interface EntryVerdict {
  status: CheckStatus;
  message: string;
}

const CLOCK_SKEW_MS = 5 * 60 * 1000;

const BIT_SET: Record<string, (noun: string) => string> = {
  revocation: (noun) => `The issuer has revoked this ${noun}.`,
  suspension: (noun) => `The issuer has suspended this ${noun}.`,
};
const BIT_CLEAR: Record<string, string> = {
  revocation: 'not revoked',
  suspension: 'not suspended',
};

const includesValue = (value: unknown, wanted: string): boolean =>
  Array.isArray(value) ? value.includes(wanted) : value === wanted;

/**
 * Status lists whose signature was found valid, by object. Only lists frozen whole are kept (the signed lists this
 * installation serves itself, one object per version of a list): nothing in them can change, and keys are only ever
 * added, so the signature stays valid. Every verification of one of our badges checks its list, and that proof
 * check went through several promises to learn again what OwnProofs already remembered for the same object. The
 * other checks of a list (type, purpose, issuer, dates) are still made every time.
 */
const validListProofs = new WeakSet<object>();

/**
 * Reads the badge's Bitstring Status List entries: fetches each list credential, verifies its signature,
 * issuer and dates, then reads the badge's bit. A list that cannot be fetched or trusted fails the
 * check rather than passing it silently; a failure of our own side (an AppError) is thrown instead. `noun` is what
 * the messages call the credential ("badge", "endorsement", …).
 */
export async function checkStatus(
  credential: JsonObject,
  deps: Pick<VerifierDeps, 'now' | 'timeZone' | 'fetchStatusList' | 'checkOwnProof'>,
  documentLoader: DocumentLoader,
  noun = 'badge',
): Promise<Check> {
  const raw = credential.credentialStatus;
  if (raw === undefined) {
    return {
      id: 'status',
      status: 'skipped',
      message: `This ${noun} has no status entry, so it cannot be revoked.`,
    };
  }
  const entries = Array.isArray(raw) ? raw : [raw];
  const verdicts = await Promise.all(
    entries.map((entry) => checkEntry(entry, credential, deps, documentLoader, noun)),
  );
  for (const status of ['failed', 'warning'] as const) {
    const matching = verdicts.filter((verdict) => verdict.status === status);
    if (matching.length > 0) {
      return { id: 'status', status, message: matching.map((verdict) => verdict.message).join(' ') };
    }
  }
  const summary = verdicts.map((verdict) => verdict.message).join(' and ');
  return {
    id: 'status',
    status: 'passed',
    message: `Checked against the issuer's signed status list: ${summary}.`,
  };
}

async function checkEntry(
  entry: unknown,
  credential: JsonObject,
  deps: Pick<VerifierDeps, 'now' | 'timeZone' | 'fetchStatusList' | 'checkOwnProof'>,
  documentLoader: DocumentLoader,
  noun: string,
): Promise<EntryVerdict> {
  if (!isObject(entry)) return { status: 'failed', message: 'A status entry is not an object.' };
  if (entry.type !== 'BitstringStatusListEntry') {
    return {
      status: 'warning',
      message: `Its status method ${String(entry.type)} is not one Stackable can check.`,
    };
  }
  const purpose = String(entry.statusPurpose);
  const url = entry.statusListCredential;
  const index = Number(entry.statusListIndex);
  if (
    typeof url !== 'string' ||
    !/^\d+$/.test(String(entry.statusListIndex)) ||
    !Number.isSafeInteger(index)
  ) {
    return {
      status: 'failed',
      message: 'Its status entry is incomplete (list address or position missing).',
    };
  }
  let list: object | null;
  try {
    list = await deps.fetchStatusList(url);
  } catch (error) {
    // Our database failing to give our own list says nothing about the badge; anyone else's list is its issuer's.
    if (isOwnSideFailure(error)) throw error;
    list = null;
  }
  if (!isObject(list)) {
    return {
      status: 'failed',
      message: `The issuer's status list at ${url} could not be loaded, so ${purpose} could not be checked.`,
    };
  }
  const problem = await problemWithList(list, purpose, credential, deps, documentLoader);
  if (problem)
    return { status: 'failed', message: `The status list at ${url} cannot be trusted: ${problem}` };
  let bit: boolean | null;
  try {
    bit = statusBitOf(String((list.credentialSubject as JsonObject).encodedList), index);
  } catch (error) {
    return {
      status: 'failed',
      message: `The status list at ${url} is unreadable: ${(error as Error).message}`,
    };
  }
  if (bit === null) {
    return { status: 'failed', message: `Its status position lies outside the status list at ${url}.` };
  }
  if (bit) return { status: 'failed', message: BIT_SET[purpose]?.(noun) ?? `Its ${purpose} status is set.` };
  return { status: 'passed', message: BIT_CLEAR[purpose] ?? `no ${purpose}` };
}

/** Why a fetched status list cannot be relied on, or null if it can. */
async function problemWithList(
  list: JsonObject,
  purpose: string,
  credential: JsonObject,
  { now, timeZone, checkOwnProof }: Pick<VerifierDeps, 'now' | 'timeZone' | 'checkOwnProof'>,
  documentLoader: DocumentLoader,
): Promise<string | null> {
  const subject = list.credentialSubject;
  if (!includesValue(list.type, 'BitstringStatusListCredential') || !isObject(subject)) {
    return 'it is not a BitstringStatusListCredential.';
  }
  if (!includesValue(subject.type, 'BitstringStatusList')) return 'its subject is not a BitstringStatusList.';
  if (!includesValue(subject.statusPurpose, purpose)) return `it is not a ${purpose} list.`;
  // Only the badge's own issuer may say whether the badge still stands.
  if (issuerIdOf(list) !== issuerIdOf(credential))
    return 'it was issued by someone other than the badge issuer.';
  // A list republished a moment ago on a server whose clock runs a little ahead is still acceptable.
  const dates = datesProblem(list, new Date(now.getTime() + CLOCK_SKEW_MS), 'the list', timeZone);
  if (dates) return dates.message;
  if (validListProofs.has(list)) return null;
  const proof = await verifyDataIntegrityProof(list, documentLoader, checkOwnProof);
  if (proof.status !== 'passed') return proof.message;
  if (isDeeplyFrozen(list)) validListProofs.add(list);
  return null;
}
