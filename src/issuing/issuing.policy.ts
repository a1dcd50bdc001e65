/**
 * Who may do what with the offices' issuing work. A tracking list is issued on the word of two people: the one
 * who uploaded it does not also commit it (separation of duties), and only the office the list belongs to (an
 * administrator acts for both) commits it at all. Pure, so the page's buttons and the service ask the same thing.
 */
import { mayDo as mayDoInBilling } from '../billing/billing.policy.ts';
import { mayDo as mayDoInLearners } from '../learners/learners.policy.ts';
import { type Actor, hasRole, isOwnLearnerRecord } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import { isListed, type ProgramState } from '../programs/program-vocabulary.ts';
import { maySeeProgram } from '../programs/programs.policy.ts';
import type { CreditMode, Office } from './issuing.tables.ts';
import { officeLabels, officesOf } from './offices.ts';

/** What someone may do in the issuing module, before asking which office's work it is. */
export type IssuingAction = 'issue' | 'export_for_registrar' | 'prepare_list';

/**
 * The roles that may take each action: also the routes' coarse gate. The two offices issue (an administrator
 * acts for both); only the registrar sends credit-bearing badges to the transcript, so only it (and
 * administrators) reads and makes the registrar's exports.
 */
export const issuingRoles: Readonly<Record<IssuingAction, readonly Role[]>> = {
  issue: ['credentials_office', 'registrar', 'admin'],
  export_for_registrar: ['registrar', 'admin'],
  // Program leads prepare their cohorts' lists and submit them; the offices still commit (issue) them.
  prepare_list: ['credentials_office', 'registrar', 'admin', 'program_lead'],
};

/** May this person take this action at all? Which office's work they see is `officesOf`'s answer. */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: IssuingAction): boolean =>
  hasRole(actor, ...issuingRoles[action]);

/**
 * Which links the issuing pages' navigation shows this person: the registrar's exports by this policy, the fee
 * ledger by billing's. The navigation shows what this says and decides nothing itself.
 */
export const issuingLinksFor = (actor: Pick<Actor, 'roles'> | null) => ({
  /** The offices' own pages (approved requests, issued badges); a program lead sees only the tracking lists. */
  canIssue: mayDo(actor, 'issue'),
  canExportForRegistrar: mayDo(actor, 'export_for_registrar'),
  canOpenFeeLedger: mayDoInBilling(actor, 'open_ledger'),
});

/** What a person outside the registrar's office is told when they try to export. */
export const EXPORT_REFUSAL = 'Only the registrar and administrators export credit-bearing badges.';

/** What the uploader is told, on the list's page and when a commit is refused. */
export const OWN_LIST_REFUSAL = 'You uploaded this list: another person must check and commit it.';

/** What the office is told about a lead's list the lead has not submitted yet. */
export const NOT_SUBMITTED_REFUSAL = 'The program lead has not submitted this list yet.';

/** The facts about a list the rules below decide on. */
interface ListFacts {
  office: Office;
  uploadedBy: string | null;
  /** Null while a program lead's draft waits for the lead to submit it. */
  submittedAt: Date | null;
}

/** What a member of the office is told about a list with a row that awards them a badge. */
export const OWN_AWARD_REFUSAL = 'This list awards a badge to you: another person must check and commit it.';

/**
 * Why this person may not commit (issue) this list, or undefined when they may. `awardsActor` says a row ready to
 * issue is for the person's own learner record: committing decides on their own badge, as approving their own
 * badge request would (separation of duties).
 */
export function commitRefusal(
  actor: Pick<Actor, 'id' | 'roles'>,
  list: ListFacts,
  { awardsActor = false }: { awardsActor?: boolean } = {},
): string | undefined {
  if (!officesOf(actor).includes(list.office)) {
    return `This list is committed by the ${officeLabels[list.office].toLowerCase()}.`;
  }
  if (list.uploadedBy !== null && list.uploadedBy === actor.id) return OWN_LIST_REFUSAL;
  if (awardsActor) return OWN_AWARD_REFUSAL;
  if (list.submittedAt === null) return NOT_SUBMITTED_REFUSAL;
  return undefined;
}

/** What a member of the office is told about an approved badge request of their own, after its learner's name. */
export const OWN_REQUEST_REFUSAL = 'is your own badge request: another person must issue it.';

/**
 * Why this person may not issue this approved badge request, or undefined when they may: it is for their own learner
 * record. A colleague approved it, but issuing signs the badge and charges its fee, a decision of its own, and
 * nobody takes it on their own badge (as nobody commits a tracking list that awards them one). Which office issues
 * the request is `officesForRequest`'s answer, asked before this.
 */
export const issueRefusal = (
  actor: Pick<Actor, 'id' | 'email'>,
  request: { learnerUserId: string | null; learnerEmail: string },
): string | undefined =>
  isOwnLearnerRecord(actor, { userId: request.learnerUserId, email: request.learnerEmail })
    ? OWN_REQUEST_REFUSAL
    : undefined;

/**
 * May this person open this list? Its uploader may (a lead sees only the lists they prepared); its office may
 * once the list was submitted to it (at once for an office's own upload), not while a lead still drafts it.
 */
export function mayViewList(actor: Pick<Actor, 'id' | 'roles'>, list: ListFacts): boolean {
  if (list.uploadedBy !== null && list.uploadedBy === actor.id) return true;
  return officesOf(actor).includes(list.office) && list.submittedAt !== null;
}

/** May this person submit this list to its office: the lead who prepared it, while it is an unsubmitted draft. */
export const maySubmitList = (actor: Pick<Actor, 'id'>, list: ListFacts): boolean =>
  list.submittedAt === null && list.uploadedBy !== null && list.uploadedBy === actor.id;

/**
 * May this person check a list's not-eligible rows again (after records were fixed or completions imported), rather
 * than upload it anew: while it is a preview, whoever may act on it now (the office once it is submitted, the lead
 * while it is their draft). Checking changes no badge; committing stays the office's, under its own rules.
 */
export const mayRecheckList = (
  actor: Pick<Actor, 'id' | 'roles'>,
  list: ListFacts & { status: string },
): boolean =>
  list.status === 'preview' &&
  ((officesOf(actor).includes(list.office) && list.submittedAt !== null) || maySubmitList(actor, list));

/**
 * May this person name this program on a list they upload? An office member any program; a program lead only the
 * programs they lead (so a lead can neither list nor learn about another program's learners).
 */
export const mayListProgram = (
  actor: Pick<Actor, 'id' | 'roles'>,
  program: { leadUserId: string | null },
): boolean =>
  officesOf(actor).length > 0 ||
  (hasRole(actor, 'program_lead') && program.leadUserId !== null && program.leadUserId === actor.id);

/**
 * How a list's page names the program of a row to this person: by its title, linked to the page of it they may
 * open (the staff page of a program they may see, else its catalog page while it is listed), or not at all (the
 * page shows the slug as the file wrote it) when it is not theirs to list: a lead learns nothing of another lead's
 * programs, not even the title of a proposal behind a slug they guessed.
 */
export function rowProgramFor(
  actor: Actor,
  program: {
    id: string;
    slug: string;
    title: string;
    status: ProgramState;
    leadUserId: string | null;
  } | null,
): { title: string; href: string | null } | null {
  if (!program || !mayListProgram(actor, program)) return null;
  if (maySeeProgram(actor, { leadUserId: program.leadUserId, signerIds: [] })) {
    return { title: program.title, href: `/programs/${program.id}` };
  }
  return { title: program.title, href: isListed(program.status) ? `/catalog/${program.slug}` : null };
}

/** What a member of staff is told about a row that names themselves, when its learner record is missing. */
export const OWN_ROW_RECORD_REFUSAL =
  'This row is for you: another member of staff must create your learner record.';

/**
 * Why this person may not create the missing learner record of a row from it, or undefined when they may. Only a
 * non-credit list's row: those learners (continuing education) may never be in the student system, while a
 * credit-bearing learner's record comes from it. Only while the list is a preview at the office, by a member of
 * that office who keeps learner records, for a row whose student ID is on no record; and never their own row.
 */
export function rowRecordRefusal(
  actor: Pick<Actor, 'id' | 'email' | 'roles'>,
  list: ListFacts & { status: string; creditMode: CreditMode },
  row: { status: string; hasLearnerRecord: boolean; email: string },
): string | undefined {
  if (list.creditMode !== 'non_credit') {
    return 'Credit-bearing learners come from the student system: their records are made there, not from a list.';
  }
  if (list.status !== 'preview') return 'The list is no longer a preview, so its rows are not checked again.';
  if (row.status !== 'not_eligible') return 'Only a row that is not eligible is checked again.';
  if (row.hasLearnerRecord) return "This row's student ID is already on a learner record.";
  if (
    !officesOf(actor).includes(list.office) ||
    list.submittedAt === null ||
    !mayDoInLearners(actor, 'keep_records')
  ) {
    return `The ${officeLabels[list.office].toLowerCase()} creates the learner record from this row.`;
  }
  if (isOwnLearnerRecord(actor, { userId: null, email: row.email })) return OWN_ROW_RECORD_REFUSAL;
  return undefined;
}

/** Does this person's upload start as a lead's draft (submitted later), rather than at the office itself? */
export const uploadsAsLead = (actor: Pick<Actor, 'roles'>): boolean =>
  officesOf(actor).length === 0 && hasRole(actor, 'program_lead');

/**
 * May this person ask to renew this award: the learner it was awarded to, or a member of the office that issued
 * it (an administrator acts for both), on the learner's behalf.
 */
export const mayRenewAward = (
  actor: Pick<Actor, 'id' | 'roles'>,
  award: { learnerUserId: string | null; office: Office },
): boolean =>
  (award.learnerUserId !== null && award.learnerUserId === actor.id) ||
  officesOf(actor).includes(award.office);
