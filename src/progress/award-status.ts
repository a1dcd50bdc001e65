/**
 * Where a learner's badge for one program stands, as every page says it: the learner's progress and home pages,
 * the backpack and the staff pages. One pure function reads it off the records (the latest badge request, and
 * the credential issued for the program, if any, with whether it was claimed), so no page works it out on its
 * own and two pages never disagree.
 */
import type { CredentialStatusName } from '../credentials/status-names.ts';
import type { BadgeRequestStatus } from './progress.tables.ts';

export const awardStatuses = [
  'not_requested',
  'requested',
  'returned',
  'withdrawn',
  'approved',
  'issued',
  'claimed',
  'suspended',
  'revoked',
] as const;
export type AwardStatus = (typeof awardStatuses)[number];

/** What the records say about one learner's badge for one program. */
export interface AwardRecord {
  /** The learner's latest badge request for the program. */
  request?: { status: BadgeRequestStatus } | null;
  /** The latest credential issued to the learner for the program (by a request, a tracking list or the API). */
  credential?: { status: CredentialStatusName; isClaimed: boolean } | null;
}

/**
 * The status of a learner's badge. An issued credential decides over any request (a tracking list issues without
 * one, and a request stays "issued" after its badge is revoked); a revoked or suspended badge says so whether or
 * not it was claimed.
 */
export function awardStatusOf(record: AwardRecord): AwardStatus {
  const { request, credential } = record;
  if (credential) {
    if (credential.status === 'revoked') return 'revoked';
    if (credential.status === 'suspended') return 'suspended';
    return credential.isClaimed ? 'claimed' : 'issued';
  }
  if (!request) return 'not_requested';
  return request.status;
}

/** The status in words, the same on every page. */
export const awardStatusLabels: Readonly<Record<AwardStatus, string>> = {
  not_requested: 'Not requested yet',
  requested: 'Requested, waiting for a decision',
  returned: 'Returned to the learner',
  withdrawn: 'Request withdrawn',
  approved: 'Approved, waiting to be issued',
  issued: 'Issued, not yet claimed',
  claimed: 'Claimed',
  suspended: 'Suspended',
  revoked: 'Revoked',
};
