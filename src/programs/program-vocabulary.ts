import { countOf } from '../platform/words.ts';
/**
 * The words of a program, owned here and nowhere else: its states and which of them are listed, open or
 * issuable, its level, credit type and enrolment paths, and the labels people read for each.
 *
 * Pure and free of I/O, so any module may import it: a repository filters with `where('status', 'in',
 * LISTED_STATES)` instead of spelling the states again, and a page shows `programStateLabels[status]`.
 */

export const programStates = [
  'draft',
  'awaiting_signatures',
  'submitted',
  'changes_requested',
  'pilot',
  'full_proposal_review',
  'established',
  'retired',
] as const;

/** Where a program stands in its life; the `programs.status` column holds exactly these. */
export type ProgramState = (typeof programStates)[number];

/** What can be done to a program in its life (lifecycle.ts says when, and by whom). */
export const programEvents = [
  'request_signatures',
  'submit',
  'signature_declined',
  'request_changes',
  'revise',
  'approve_pilot',
  'submit_full_proposal',
  'retire',
  'approve_step',
  'reject',
  'reinstate',
] as const;

export type ProgramEvent = (typeof programEvents)[number];

/**
 * Who can act on a program. `program_lead` and `signer` are relationships to one program (carried by
 * `isProgramLead` / `isNamedSigner`), the others are institution-wide roles (carried by `actorRoles`).
 */
export type ProgramRole = 'program_lead' | 'signer' | 'credentials_office' | 'approver' | 'admin';

export type Level = 'undergraduate' | 'graduate';
export type CreditType = 'credit' | 'non_credit' | 'hybrid';
export type EnrolmentPath = 'new' | 'non_degree' | 'current' | 'returning';
/** How the program is taught. */
export type DeliveryMode = 'online' | 'in_person' | 'hybrid';

/** Shown in the public catalogue: pilot and established programs, plus retired ones as "no longer offered". */
export const LISTED_STATES = ['pilot', 'established', 'retired'] as const satisfies readonly ProgramState[];

/** Learners may enrol, and the program is advertised, only while it runs as a pilot or is established. */
export const OPEN_STATES = ['pilot', 'established'] as const satisfies readonly ProgramState[];

/**
 * A badge may be issued for a listed program. A retired one still counts: learners who finished before it
 * closed are owed their badge.
 */
export const ISSUABLE_STATES = LISTED_STATES;

/** Still under the pilot's obligations (annual reviews, the year-3 decision) while the full proposal is read. */
export const PILOT_STATES = ['pilot', 'full_proposal_review'] as const satisfies readonly ProgramState[];

/** Waiting on a decision by the pilot-approval chain (or back with the lead between its steps). */
export const PILOT_CHAIN_STATES = [
  'submitted',
  'changes_requested',
] as const satisfies readonly ProgramState[];

/** Waiting on a decision by the full-proposal chain. */
export const FULL_CHAIN_STATES = ['full_proposal_review'] as const satisfies readonly ProgramState[];

/** Waiting on a reviewer's decision (the credentials office's, or a chain step's). */
export const DECISION_STATES = [
  'submitted',
  'full_proposal_review',
] as const satisfies readonly ProgramState[];

/** Back with the program lead before review can go on. */
export const WITH_LEAD_STATES = [
  'changes_requested',
  'awaiting_signatures',
] as const satisfies readonly ProgramState[];

/** Past the pilot approval: the program has run (or runs) with learners. */
export const APPROVED_STATES = [
  'pilot',
  'full_proposal_review',
  'established',
  'retired',
] as const satisfies readonly ProgramState[];

const within =
  (states: readonly ProgramState[]) =>
  (state: ProgramState): boolean =>
    states.includes(state);

/** True when `value` is one of the program states (useful when reading stored data). */
export function isProgramState(value: unknown): value is ProgramState {
  return typeof value === 'string' && (programStates as readonly string[]).includes(value);
}

/** Shown in the public catalogue (see `LISTED_STATES`). */
export const isListed = within(LISTED_STATES);
/** Open for enrolment (see `OPEN_STATES`). */
export const isOpenForEnrolment = within(OPEN_STATES);
/**
 * Public as a live offering (marketing, badge catalogue): the same states as open for enrolment, because a
 * program may not be advertised before it is approved and is no longer advertised once retired.
 */
export const isPublic = isOpenForEnrolment;
/** A badge may be issued for it (see `ISSUABLE_STATES`). */
export const isIssuable = within(ISSUABLE_STATES);
/** Annual reviews and the pilot decision still apply (see `PILOT_STATES`). */
export const isUnderPilot = within(PILOT_STATES);
/** Past the pilot approval (see `APPROVED_STATES`). */
export const isApproved = within(APPROVED_STATES);
/** Waiting on a reviewer (see `DECISION_STATES`). */
export const isAwaitingDecision = within(DECISION_STATES);
/** Back with the program lead (see `WITH_LEAD_STATES`). */
export const isWithLead = within(WITH_LEAD_STATES);

export const programStateLabels: Readonly<Record<ProgramState, string>> = {
  draft: 'Draft',
  awaiting_signatures: 'Awaiting signatures',
  // The pilot-approval chain decides (the credentials office may record a body's decision); `programStateWords`
  // names its step when it is known.
  submitted: 'Submitted for pilot approval',
  changes_requested: 'Changes requested',
  pilot: 'Pilot',
  full_proposal_review: 'Full proposal under review',
  established: 'Established',
  retired: 'Retired (no longer offered)',
};

/**
 * A program's state as the people waiting on it read it: the label, and while a proposal waits on a step of its
 * approval chain, who decides that step (the person the step names, or the body that holds it): 'Submitted for
 * pilot approval: waiting for the Faculty Senate'. Without the step, the label alone.
 */
export function programStateWords(
  state: ProgramState,
  waitingOn?: { name: string; person?: { name: string } | undefined } | undefined,
): string {
  const label = programStateLabels[state];
  if (!waitingOn || !isAwaitingDecision(state)) return label;
  const who = waitingOn.person ? `${waitingOn.person.name} (${waitingOn.name})` : `the ${waitingOn.name}`;
  return `${label}: waiting for ${who}`;
}

/** A state that is not offered, as it reads in "…is a draft, not an approved micro-credential". */
export const unofferedStatePhrases: Readonly<Partial<Record<ProgramState, string>>> = {
  draft: 'a draft',
  awaiting_signatures: 'a proposal awaiting signatures',
  submitted: 'a proposal under review',
  changes_requested: 'a proposal being revised',
  full_proposal_review: 'a proposal under review',
};

/** A program's credits as people read them: '3 credits', '1 credit', '3–6 credits'. */
export const formatCredits = (min: number, max: number): string =>
  min === max ? countOf(min, 'credit') : `${min}–${max} credits`;

export const levelLabels: Readonly<Record<Level, string>> = {
  undergraduate: 'Undergraduate',
  graduate: 'Graduate',
};

export const creditTypeLabels: Readonly<Record<CreditType, string>> = {
  credit: 'Credit-bearing',
  non_credit: 'Non-credit',
  hybrid: 'Credit or non-credit',
};

/** How a program is taught, as the catalog and the proposal form say it. */
export const deliveryModeLabels: Readonly<Record<DeliveryMode, string>> = {
  online: 'Online',
  in_person: 'In person',
  hybrid: 'Hybrid (online and in person)',
};

/** The enrolment paths as staff name them when they choose which a program offers. */
export const enrolmentPathLabels: Readonly<Record<EnrolmentPath, string>> = {
  new: 'New students',
  non_degree: 'Non-degree learners',
  current: 'Current students',
  returning: 'Returning students',
};

/** The same paths as the catalogue puts them to someone deciding how to enrol. */
export const enrolmentPathHeadings: Readonly<Record<EnrolmentPath, string>> = {
  new: 'New to the university',
  non_degree: 'Just want the badge',
  current: 'Current student',
  returning: 'Returning student',
};

/** What the enrolment page's button for each path does. */
export const enrolmentPathActions: Readonly<Record<EnrolmentPath, string>> = {
  new: 'Apply for admission',
  non_degree: 'Enrol as a non-degree learner',
  current: 'Enrol as a current student',
  returning: 'Ask to return',
};
