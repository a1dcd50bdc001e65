/**
 * Who may do what with programs: which roles open which pages and take which actions, and, beyond the roles
 * the lifecycle asks for, separation of duties. A person who proposed or leads a program never records a review
 * decision on it, whatever other roles they hold; the decision waits for someone else. Pure, so the routes'
 * gate, the page, the inbox and the service all ask the same functions.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import {
  isOpenForEnrolment,
  type ProgramEvent,
  type ProgramRole,
  type ProgramState,
} from './program-vocabulary.ts';

/** Roles that see every program and its proposal. */
export const staffRoles: readonly Role[] = ['credentials_office', 'approver', 'admin'];

/**
 * People offered to a lead naming signers: holders of the signer role (department chairs, deans). Anyone with an
 * account may still be named by address; signing is a relationship to one proposal, not a role.
 */
export const signerChoiceRoles: readonly Role[] = ['signer'];

/** What someone may do with programs, before asking which program it is and what state it is in. */
export type ProgramsAction =
  | 'open_programs'
  | 'draft_proposal'
  | 'edit_program'
  | 'manage_signers'
  | 'manage_consultees'
  | 'add_consultation_note'
  | 'oversee_reviews'
  | 'record_pilot_review'
  | 'prepare_full_proposal'
  | 'change_approval_chains';

/**
 * The roles that may take each action: also the routes' coarse gate. Leads propose, edit their own and choose
 * their signers; the credentials office consults on proposals and edits offered programs; the offices that
 * oversee pilots (and administrators) watch what is overdue; only administrators change the approval chains.
 * Which program a person may touch, and in which state, is asked of `loaded-program.ts` and the lifecycle.
 */
export const programsRoles: Readonly<Record<ProgramsAction, readonly Role[]>> = {
  open_programs: ['program_lead', ...staffRoles],
  draft_proposal: ['program_lead'],
  edit_program: ['program_lead', 'credentials_office'],
  manage_signers: ['program_lead'],
  manage_consultees: ['program_lead'],
  add_consultation_note: ['credentials_office'],
  oversee_reviews: ['credentials_office', 'admin'],
  record_pilot_review: ['program_lead'],
  prepare_full_proposal: ['program_lead'],
  change_approval_chains: ['admin'],
};

/** May this person take this action at all? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: ProgramsAction): boolean =>
  hasRole(actor, ...programsRoles[action]);

/** Whether this person sees every program, rather than only the ones they lead. */
export const seesEveryProgram = (actor: Pick<Actor, 'roles'> | null): boolean =>
  hasRole(actor, ...staffRoles);

/**
 * Whether this person may record the decision of an approval step that waits for holders of `stepRole`: those
 * holders, and the credentials office, which records a governing body's decision on its behalf. (Whether it is
 * their own program is `ownDecisionRefusal`'s question.)
 */
export const mayRecordStep = (actor: Pick<Actor, 'roles'>, stepRole: Role): boolean =>
  hasRole(actor, stepRole, 'credentials_office');

/**
 * Whether a decision waiting for holders of these roles is this person's to take, and so listed in their inbox
 * (the credentials office's recording on a body's behalf is not an inbox item; `mayRecordStep` allows it).
 */
export const holdsDecidingRole = (actor: Pick<Actor, 'roles'>, decidingRoles: readonly Role[]): boolean =>
  hasRole(actor, ...decidingRoles);

/** Whether this person leads programs (and so has their own to list and finish). */
export const leadsPrograms = (actor: Pick<Actor, 'roles'> | null): boolean => hasRole(actor, 'program_lead');

/** The decisions a reviewer takes on someone else's proposal (the lead's own steps are not among them). */
export const reviewDecisions: ReadonlySet<ProgramEvent | 'sign'> = new Set<ProgramEvent | 'sign'>([
  'approve_pilot',
  'request_changes',
  'approve_step',
  'reject',
  'sign',
]);

/** What the author is told, on the page and when a decision is refused. */
export const OWN_DECISION_REFUSAL = 'You proposed this program; another approver must decide this step.';

/** Said where a step waits and every holder of its role is the author: someone else must be given the role. */
export const NEEDS_ANOTHER_APPROVER = 'Needs an approver other than the author';

/** The program's own people: its lead, who proposed it. */
export function isOwnProgram(actor: { id: string }, program: { leadUserId: string | null }): boolean {
  return program.leadUserId !== null && program.leadUserId === actor.id;
}

/**
 * Why this person may not take `action` on this program for reasons of separation of duties, or undefined when
 * that is no obstacle (whether their roles allow it is the lifecycle's question).
 */
export function ownDecisionRefusal(
  actor: { id: string },
  program: { leadUserId: string | null },
  action: ProgramEvent | 'sign',
): string | undefined {
  return reviewDecisions.has(action) && isOwnProgram(actor, program) ? OWN_DECISION_REFUSAL : undefined;
}

/**
 * Whether a step waiting for holders of a role can be decided by anyone: false when the only active holders
 * are the program's own lead.
 */
export function hasIndependentDecider(
  holderIds: readonly string[],
  program: { leadUserId: string | null },
): boolean {
  return holderIds.some((id) => id !== program.leadUserId);
}

/**
 * Staff see every program; anyone else only one they lead or were asked to sign, or were consulted on (a
 * consultee reads the proposal to respond to it).
 */
export function maySeeProgram(
  actor: Actor,
  program: { leadUserId: string | null; signerIds: readonly string[]; consulteeIds?: readonly string[] },
): boolean {
  return (
    seesEveryProgram(actor) ||
    program.leadUserId === actor.id ||
    program.signerIds.includes(actor.id) ||
    (program.consulteeIds ?? []).includes(actor.id)
  );
}

/**
 * Whether this person may record a consultee's response: the consultee themselves, or the program's lead on
 * their behalf (a consultation held in a meeting or by e-mail); the record says who typed it in.
 */
export function mayRecordConsultation(
  actor: { id: string },
  program: { leadUserId: string | null },
  consultation: { consulteeUserId: string | null },
): 'own' | 'on_behalf' | undefined {
  if (consultation.consulteeUserId !== null && consultation.consulteeUserId === actor.id) return 'own';
  if (isOwnProgram(actor, program)) return 'on_behalf';
  return undefined;
}

/** 'draft' for the lead of a draft; 'version' for the lead or credentials office of an offered program. */
export function editModeOf(
  actor: Actor,
  program: { lead_user_id: string | null; status: ProgramState },
): 'draft' | 'version' | undefined {
  const isLead = program.lead_user_id === actor.id;
  if (program.status === 'draft') return isLead ? 'draft' : undefined;
  if (isOpenForEnrolment(program.status)) {
    return isLead || hasRole(actor, 'credentials_office') ? 'version' : undefined;
  }
  return undefined;
}

// ---- changes to an approved program, and retirement ---------------------------------------------------------

/**
 * Whether this person may record the decision of `step`: the person the step names, and only them; otherwise
 * holders of its role, or the credentials office on a governing body's behalf (`mayRecordStep`).
 */
export function mayDecideStep(
  actor: Pick<Actor, 'id' | 'roles'>,
  step: { role: Role; person?: { id: string } | undefined },
): boolean {
  if (step.person) return step.person.id === actor.id;
  return mayRecordStep(actor, step.role);
}

/** Who records a step's decision, in words, for the refusal shown to someone else who tried. */
const stepDeciders: Readonly<Record<string, string>> = {
  approver: 'an approver',
  credentials_office: 'the credentials office',
  admin: 'an administrator',
};

/** Why someone may not record `step`'s decision, naming who may (never an internal role key). */
export function stepRefusal(step: {
  name: string;
  role: Role;
  person?: { name: string } | undefined;
}): string {
  if (step.person) return `Only ${step.person.name} can record the ${step.name} decision`;
  const holder = stepDeciders[step.role] ?? 'its decision-maker';
  return step.role === 'credentials_office'
    ? `Only the credentials office can record the ${step.name} decision`
    : `Only ${holder} or the credentials office (on the ${step.name}'s behalf) can record the ${step.name} decision`;
}

/**
 * Whether this person may publish a wording fix (summary, description) to an approved program at once, without
 * the modification chain: the credentials office, which owns what the catalog says. The lead is told.
 */
export const mayPublishWording = (actor: Pick<Actor, 'roles'>): boolean =>
  hasRole(actor, 'credentials_office');

/** What the author of a change is told when they would decide on it. */
export const OWN_CHANGE_REFUSAL =
  'You proposed this change or lead this program; someone else must decide it.';

/**
 * Why this person may not decide a proposed change to a program: they proposed it, or they lead the program
 * (a lead's change is theirs even when the credentials office typed it in). Undefined when they may.
 */
export function ownChangeRefusal(
  actor: { id: string },
  program: { leadUserId: string | null },
  modification: { proposedBy: string | null },
): string | undefined {
  return modification.proposedBy === actor.id || isOwnProgram(actor, program)
    ? OWN_CHANGE_REFUSAL
    : undefined;
}

/**
 * Who may retire a program, by the state it is in. A pilot is still its lead's experiment, so the lead may end
 * it (as may the credentials office and administrators). An established program is a standing commitment of
 * the institution with learners relying on it: its lead alone may not retire it; the credentials office or an
 * administrator does, on the lead's request or their own.
 */
export const retiringRoles: Readonly<Record<'pilot' | 'established', readonly ProgramRole[]>> = {
  pilot: ['program_lead', 'credentials_office', 'admin'],
  established: ['credentials_office', 'admin'],
};

/** Who may undo a retirement (while no learner is affected): the offices that may retire any program. */
export const reinstatingRoles: readonly ProgramRole[] = ['credentials_office', 'admin'];

// ---- the post-pilot full proposal ---------------------------------------------------------------------------

/**
 * Who may read a program's full proposal and download its documents: its lead, the offices that see every
 * program (the credentials office, approvers, administrators), and a person a step of its full-proposal chain
 * names (a provost named by account). Signers and consultees of the first proposal do not: the full proposal
 * carries the pilot's figures and its budget, and they were asked about something else.
 */
export function mayReadFullProposal(
  actor: Pick<Actor, 'id' | 'roles'>,
  program: { leadUserId: string | null; namedDeciderIds: readonly string[] },
): boolean {
  return (
    seesEveryProgram(actor) || isOwnProgram(actor, program) || program.namedDeciderIds.includes(actor.id)
  );
}

/**
 * Why this person may not change the full proposal (its answers and documents) now, or undefined when they
 * may: only the lead, only while the program is a pilot, and only until it is submitted (a returned one is
 * open again).
 */
export function fullProposalEditRefusal(
  actor: { id: string },
  program: { leadUserId: string | null; status: ProgramState },
  isSubmitted: boolean,
): string | undefined {
  if (!isOwnProgram(actor, program)) return 'Only the program lead prepares the full proposal.';
  if (program.status !== 'pilot') return 'The full proposal is prepared while the program is a pilot.';
  if (isSubmitted) return 'The full proposal is submitted and can no longer be changed.';
  return undefined;
}
