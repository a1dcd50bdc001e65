/**
 * Who may change an issued badge's status. One rule for the register's page, the JSON API and anything else
 * that revokes, suspends or reinstates: the office that issued a badge (the registrar for credit-bearing ones,
 * the credentials office for the rest) manages it, and an administrator may act for either. Pure: the caller
 * says which office issued the badge.
 */

import { isOwnLearnerRecord } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import { STATUS_TRANSITIONS, type StatusChange } from './credential-status.ts';
import type { CredentialStatusName } from './credentials.tables.ts';

/** What someone may do through the credentials API, before asking whose badge it is. */
export type CredentialsAction = 'issue_through_api' | 'change_status';

/**
 * The roles that may take each action: the API routes' coarse gate. The two offices issue through the API
 * (administrators issue through the offices' pages, as either office); a status change is open to whoever
 * manages some office's badges, and `canManageStatus` then decides for the badge at hand.
 */
export const credentialsRoles: Readonly<Record<CredentialsAction, readonly Role[]>> = {
  issue_through_api: ['credentials_office', 'registrar'],
  change_status: ['credentials_office', 'registrar', 'admin'],
};

/** The offices that issue badges. */
export type IssuingOffice = 'registrar' | 'credentials_office';

const officeNames: Record<IssuingOffice, string> = {
  registrar: 'registrar',
  credentials_office: 'credentials office',
};

/** May this person change the status of a badge `office` issued? */
export function canManageStatus(actor: { roles: readonly Role[] }, office: IssuingOffice): boolean {
  return actor.roles.includes('admin') || actor.roles.includes(office);
}

/** What a refused person is told. */
export const statusRefusal = (office: IssuingOffice): string =>
  `This badge was issued by the ${officeNames[office]}; only that office or an administrator changes its status.`;

/**
 * Is this badge awarded to this person: is the learner record it names linked to their account, or does it carry
 * their address (as the progress module tells a person's own record)? Staff are learners too, and nobody decides
 * on their own badge: a suspension lifted by the person suspended is no check at all.
 */
export const isOwnBadge = (
  actor: { id?: string; email?: string },
  badge: { holderUserId: string | null; holderEmail?: string | null },
): boolean => isOwnLearnerRecord(actor, { userId: badge.holderUserId, email: badge.holderEmail });

/** What a member of staff is told about a badge awarded to themselves. */
export const OWN_BADGE_REFUSAL =
  'This badge was awarded to you: another member of staff must change its status.';

/**
 * The changes this person may make to this badge now: none unless they manage it and it is not their own, then
 * those its status allows.
 */
export function allowedStatusChanges(
  actor: { id?: string; email?: string; roles: readonly Role[] },
  badge: {
    office: IssuingOffice;
    status: CredentialStatusName;
    holderUserId: string | null;
    holderEmail?: string | null;
  },
): StatusChange[] {
  if (!canManageStatus(actor, badge.office) || isOwnBadge(actor, badge)) return [];
  return (Object.keys(STATUS_TRANSITIONS) as StatusChange[]).filter((change) =>
    STATUS_TRANSITIONS[change].from.includes(badge.status),
  );
}
