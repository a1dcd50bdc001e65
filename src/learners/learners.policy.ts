/**
 * How much of learners' records a person sees (least privilege). The records offices see every learner and
 * the whole record; a program lead sees only learners enrolled in the programs they lead, and of them only what
 * concerns those programs: those enrolments and the completions of those programs' courses, never the rest of
 * the transcript. Pure, so every page and export that shows learner data asks the same question.
 */

import { type Actor, hasRole, isOwnLearnerRecord } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** Staff who keep learner records and see all of them. */
export const recordKeepers: readonly Role[] = ['credentials_office', 'registrar', 'admin'];

/** What someone may do in the learners module, before asking whose record it is. */
export type LearnersAction =
  | 'read_records'
  | 'import_completions'
  | 'decide_reactivations'
  | 'confirm_identity'
  | 'link_accounts'
  | 'exchange_records'
  | 'keep_records';

/**
 * The roles that may take each action: also the routes' coarse gate. A program lead reads records (narrowed by
 * `recordScopeOf`); importing completions, deciding requests to return, confirming identities, and reading
 * (`exchange_records`) or writing (`keep_records`) records through the API as the student system holds them are
 * the records offices' work.
 */
export const learnersRoles: Readonly<Record<LearnersAction, readonly Role[]>> = {
  read_records: [...recordKeepers, 'program_lead'],
  import_completions: recordKeepers,
  decide_reactivations: recordKeepers,
  confirm_identity: recordKeepers,
  link_accounts: recordKeepers,
  // The JSON API lists every learner: what the student system and its staff exchange, never a lead's narrowed view.
  exchange_records: recordKeepers,
  keep_records: recordKeepers,
};

/** May this person take this action at all? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: LearnersAction): boolean =>
  hasRole(actor, ...learnersRoles[action]);

/**
 * What the learner pages' navigation and headings show this person: they show what this says and decide
 * nothing themselves.
 */
export const learnerLinksFor = (actor: Pick<Actor, 'roles'> | null) => ({
  canImportCompletions: mayDo(actor, 'import_completions'),
  canDecideReactivations: mayDo(actor, 'decide_reactivations'),
  seesEveryLearner: hasRole(actor, ...recordKeepers),
});

/** The part of learners' records one person may see. */
export type RecordScope = { kind: 'all' } | { kind: 'led-programs'; leadUserId: string } | { kind: 'none' };

export function recordScopeOf(actor: Actor): RecordScope {
  if (hasRole(actor, ...recordKeepers)) return { kind: 'all' };
  if (hasRole(actor, 'program_lead')) return { kind: 'led-programs', leadUserId: actor.id };
  return { kind: 'none' };
}

/** The lead whose programs bound what is shown, or undefined when nothing is narrowed. */
export const ledByOf = (scope: RecordScope): string | undefined =>
  scope.kind === 'led-programs' ? scope.leadUserId : undefined;

/**
 * Who may confirm a typed-in student ID as this person's: the records offices, who can check the person against
 * the student system. A program lead cannot, since confirming hands over the registrar's record of grades. Nor
 * may anyone confirm their own (separation of duties): staff are learners too, and a student ID they typed in
 * themselves would otherwise bring them whoever's grades it names.
 */
export const canConfirmIdentity = (actor: Actor, record: { userId: string | null; email: string }): boolean =>
  recordScopeOf(actor).kind === 'all' && !isOwnRecord(actor, record);

/**
 * Is this learner record this person's own: linked to their account, or carrying their address (as the progress
 * module tells a person's own record, so one not linked yet counts too)?
 */
export const isOwnRecord = (
  actor: Pick<Actor, 'id' | 'email'>,
  record: { userId: string | null; email: string },
): boolean => isOwnLearnerRecord(actor, record);

/** What a member of staff writing their own record through the records API is told, beside its student ID. */
export const OWN_RECORD_WRITE_REFUSAL =
  'is your own learner record: another member of staff (or the student system itself) must write it';

export const OWN_IDENTITY_REFUSAL =
  'This is your own learner record: another member of staff must confirm your student ID.';

/**
 * Separation of duties: nobody decides their own request to return. Staff are learners too, and approving links
 * a record and enrols, so the person asking never answers.
 */
export const canDecideReactivation = (actor: Actor, request: { userId: string }): boolean =>
  actor.id !== request.userId;

export const OWN_REACTIVATION_REFUSAL = 'This is your own request to return: another person must decide it.';

/**
 * An account whose address its owner has not proven (a sign-up whose link was not opened yet) is only a typed
 * address: it may not enrol, ask to return, or collect the learner record that carries that address.
 */
export const mayActAsLearner = (account: { isEmailVerified: boolean }): boolean => account.isEmailVerified;

export const UNVERIFIED_REFUSAL =
  'Confirm your e-mail address first: open the link we mailed to you, or ask for a new one.';

/** Why a learner record and an account may not be linked; `already_linked` when there is nothing to do. */
export type LinkRefusal =
  | 'already_linked'
  | 'record_has_another_account'
  | 'account_has_another_record'
  | 'email_not_verified'
  | 'own_account';

/**
 * Whether this record may be linked to this account: never two people to one record, never one person to two
 * records, never an address nobody has proven, and never by staff to their own account (nobody decides on their
 * own behalf). Null when the link may be made.
 */
export function linkRefusalOf(input: {
  recordUserId: string | null;
  userId: string;
  /** The record the account already has, if any. */
  accountRecordId: string | null;
  recordId: string;
  isEmailVerified: boolean;
  /** The member of staff making the link, or null when it is made automatically. */
  actorId: string | null;
}): LinkRefusal | null {
  if (input.recordUserId === input.userId) return 'already_linked';
  if (input.actorId !== null && input.actorId === input.userId) return 'own_account';
  if (input.recordUserId !== null) return 'record_has_another_account';
  if (input.accountRecordId !== null && input.accountRecordId !== input.recordId) {
    return 'account_has_another_record';
  }
  if (!input.isEmailVerified) return 'email_not_verified';
  return null;
}

/** What staff are told for each refusal. */
export const linkRefusalMessages: Readonly<Record<Exclude<LinkRefusal, 'already_linked'>, string>> = {
  record_has_another_account: 'This record is already linked to another account. Unlink that account first.',
  account_has_another_record: 'That account is already linked to another learner record.',
  email_not_verified:
    "That account's e-mail address is not confirmed yet: its owner must open the link mailed to them first.",
  own_account: 'This is your own account: another member of staff must link or unlink it.',
};

/** Whether this member of staff may unlink the record's account (not their own: another person decides). */
export const canUnlinkAccount = (actor: Pick<Actor, 'id'>, record: { userId: string | null }): boolean =>
  record.userId !== null && record.userId !== actor.id;
