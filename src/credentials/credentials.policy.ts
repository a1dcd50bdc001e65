/**
 * Who may change an issued badge's status. One rule for the register's page, the JSON API and anything else
 * that revokes, suspends or reinstates: the office that issued a badge (the registrar for credit-bearing ones,
 * the credentials office for the rest) manages it, and an administrator may act for either. And who may issue
 * through the API to whom: nobody to themselves. Pure: the caller says which office issued the badge, and whose
 * addresses and records are whose.
 */

import { isOwnLearnerRecord } from '../platform/actor.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import type { FieldProblem } from '../platform/errors.ts';
import type { Role } from '../platform/roles.ts';
import { hashEmail } from './build-credential.ts';
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

/**
 * The person behind an issue request, as far as telling their own badge goes: their account and every address that
 * is theirs (the account's own, those it has proven, those of learner records linked to it). Null for an API
 * client's token, which acts for no person: nothing it issues is its own, and its scope is the decision that it may.
 */
export interface IssuingPerson {
  id: string;
  addresses: readonly string[];
}

/** How an issue request names its recipient, each part with the request field that carried it. */
export interface RequestedRecipient {
  /** Addresses sent in plain. */
  emails: readonly { field: string; email: string }[];
  /** Addresses sent hashed with their salt (an Open Badges IdentityObject), as `sha256$<hex>`. */
  hashedEmails: readonly { field: string; identityHash: string; salt: string }[];
  /** The learner record named, if any. */
  learner?: { field: string; userId: string | null; email: string | null };
}

/** What a member of staff is told when a credential they issue names themselves as its recipient. */
export const OWN_ISSUE_REFUSAL =
  'This credential would be awarded to you: another member of staff must issue it.';

const OWN_RECIPIENT_REASON = 'names you: nobody issues a badge to themselves';

/**
 * Why this person may not issue a credential to this recipient, as the field that names them, or undefined when
 * they may. Issuing straight through the API is the office's whole decision on a badge, so, as with a tracking list
 * or an approved request, nobody takes it on their own: not to an address of theirs, plain or hashed, nor to a
 * learner record that is theirs (`isOwnLearnerRecord`, the one rule of "own").
 */
export function ownIssueProblem(
  person: IssuingPerson | null,
  recipient: RequestedRecipient,
): FieldProblem | undefined {
  if (person === null) return undefined;
  const mine = person.addresses.map(normaliseEmail);
  const plain = recipient.emails.find(({ email }) => mine.includes(normaliseEmail(email)));
  if (plain) return { field: plain.field, reason: OWN_RECIPIENT_REASON };
  const hashed = recipient.hashedEmails.find(({ identityHash, salt }) =>
    mine.some((address) => hashEmail(address, salt) === identityHash.toLowerCase()),
  );
  if (hashed) return { field: hashed.field, reason: OWN_RECIPIENT_REASON };
  const { learner } = recipient;
  if (
    learner &&
    (isOwnLearnerRecord({ id: person.id }, learner) ||
      mine.some((email) => isOwnLearnerRecord({ email }, learner)))
  ) {
    return { field: learner.field, reason: OWN_RECIPIENT_REASON };
  }
  return undefined;
}
