/**
 * The life of a micro-credential program, from first draft to retirement, as a pure state machine.
 *
 * Nothing here reads a clock, a database or a session: callers describe who is acting and what is true of
 * the program in a `TransitionContext`, and get back either the next state plus the side effects to carry
 * out, or a refusal phrased so it can be shown to the person who tried.
 */

import {
  isProgramState,
  type ProgramEvent,
  type ProgramRole,
  type ProgramState,
  programEvents,
  programStateLabels,
} from './program-vocabulary.ts';
import { reinstatingRoles, retiringRoles } from './programs.policy.ts';

/** Side effects a caller should carry out after a successful transition. */
export type ProgramEffect =
  | 'record_comment'
  | 'notify_signers'
  | 'notify_program_lead'
  | 'notify_credentials_office'
  | 'notify_approvers'
  | 'clear_signatures'
  | 'record_approval_step'
  | 'clear_approval_steps'
  | 'publish_listing'
  | 'open_enrolment'
  | 'close_enrolment'
  | 'mark_no_longer_offered'
  | 'schedule_pilot_calendar'
  | 'cancel_pilot_calendar';

export interface TransitionContext {
  /** Institution-wide roles of the person acting. */
  actorRoles: readonly ProgramRole[];
  /** The person acting leads this very program (a lead of another program does not count). */
  isProgramLead: boolean;
  /** The person acting is one of the signers named on this program's proposal. */
  isNamedSigner: boolean;
  /** Every named signer has signed the current version of the proposal. */
  allSigned: boolean;
  /** Approval-chain steps not yet completed, counting the one being approved now. */
  remainingSteps: number;
  /** A memorandum of understanding is attached to the proposal. */
  hasMou: boolean;
  /** The program is interdisciplinary or built with a third party, so it needs an MOU. */
  mouRequired: boolean;
  comment?: string;
  /**
   * Of a retired program: the state it was retired from, and why it can no longer be reinstated (learners
   * were affected), if so. Worked out by the retirements service; absent for a program never retired here.
   */
  retirement?: { from: 'pilot' | 'established'; reinstateRefusal?: string | undefined };
}

export type TransitionResult =
  | { ok: true; to: ProgramState; effects: ProgramEffect[] }
  | { ok: false; reason: string };

export const programEventLabels: Readonly<Record<ProgramEvent, string>> = {
  request_signatures: 'Request signatures',
  submit: 'Submit proposal',
  signature_declined: 'Decline to sign',
  request_changes: 'Request changes',
  revise: 'Revise proposal',
  approve_pilot: 'Approve for pilot',
  submit_full_proposal: 'Submit full proposal',
  retire: 'Retire program',
  approve_step: 'Approve review step',
  reject: 'Return to pilot',
  reinstate: 'Reinstate the program',
};

// The verb phrase used in refusals: "Only the program lead can <phrase>".
const eventPhrases: Readonly<Record<ProgramEvent, string>> = {
  request_signatures: 'request signatures',
  submit: 'submit the proposal',
  signature_declined: 'decline to sign',
  request_changes: 'request changes',
  revise: 'revise the proposal',
  approve_pilot: 'approve the program for a pilot',
  submit_full_proposal: 'submit the full proposal',
  retire: 'retire the program',
  approve_step: 'approve a review step',
  reject: 'return the full proposal to pilot',
  reinstate: 'reinstate a retired program',
};

const roleNames: Readonly<Record<ProgramRole, string>> = {
  program_lead: 'the program lead',
  signer: 'a named signer',
  credentials_office: 'the credentials office',
  approver: 'an approver',
  admin: 'an administrator',
};

interface Outcome {
  to: ProgramState;
  effects: ProgramEffect[];
}

interface Rule {
  from: ProgramState;
  event: ProgramEvent;
  by: readonly ProgramRole[];
  needsComment?: string;
  /** Returns a refusal reason when a precondition beyond role and comment is not met. */
  check?: (context: TransitionContext) => string | undefined;
  decide: (context: TransitionContext) => Outcome;
}

const mouMissing = (context: TransitionContext): string | undefined =>
  context.mouRequired && !context.hasMou
    ? 'An MOU is required for an interdisciplinary or third-party program before signatures are requested'
    : undefined;

const retireEffects = (from: ProgramState): ProgramEffect[] => [
  'close_enrolment',
  // Only a pilot has annual reviews and a decision date still pending.
  ...(from === 'pilot' ? (['cancel_pilot_calendar'] as const) : []),
  'mark_no_longer_offered',
  'notify_program_lead',
];

const retireReason = 'A reason is required to retire a program';

const rules: readonly Rule[] = [
  {
    from: 'draft',
    event: 'request_signatures',
    by: ['program_lead'],
    check: mouMissing,
    decide: () => ({ to: 'awaiting_signatures', effects: ['notify_signers'] }),
  },
  {
    from: 'awaiting_signatures',
    event: 'submit',
    by: ['program_lead'],
    // The MOU travels with the proposal, so it is checked again in case it was removed meanwhile.
    check: (context) =>
      mouMissing(context) ??
      (context.allSigned ? undefined : 'Every named signer must sign before the proposal can be submitted'),
    decide: () => ({ to: 'submitted', effects: ['notify_credentials_office'] }),
  },
  {
    from: 'awaiting_signatures',
    event: 'signature_declined',
    by: ['signer'],
    needsComment: 'A comment is required when declining to sign',
    // Other signatures were given to a version that will now change, so they are collected again.
    decide: () => ({ to: 'draft', effects: ['clear_signatures', 'notify_program_lead'] }),
  },
  {
    from: 'submitted',
    event: 'request_changes',
    by: ['credentials_office'],
    needsComment: 'A comment is required when requesting changes',
    decide: () => ({ to: 'changes_requested', effects: ['notify_program_lead'] }),
  },
  {
    from: 'changes_requested',
    event: 'revise',
    by: ['program_lead'],
    decide: () => ({ to: 'draft', effects: ['clear_signatures'] }),
  },
  {
    from: 'submitted',
    event: 'approve_pilot',
    by: ['credentials_office', 'approver'],
    decide: () => ({
      to: 'pilot',
      effects: ['publish_listing', 'open_enrolment', 'schedule_pilot_calendar', 'notify_program_lead'],
    }),
  },
  {
    from: 'pilot',
    event: 'submit_full_proposal',
    by: ['program_lead'],
    decide: () => ({ to: 'full_proposal_review', effects: ['notify_approvers'] }),
  },
  {
    from: 'pilot',
    event: 'retire',
    by: retiringRoles.pilot,
    needsComment: retireReason,
    decide: () => ({ to: 'retired', effects: retireEffects('pilot') }),
  },
  {
    from: 'full_proposal_review',
    event: 'approve_step',
    by: ['approver'],
    check: (context) =>
      Number.isInteger(context.remainingSteps) && context.remainingSteps >= 1
        ? undefined
        : 'There is no review step left to approve',
    decide: (context) =>
      context.remainingSteps > 1
        ? { to: 'full_proposal_review', effects: ['record_approval_step', 'notify_approvers'] }
        : {
            to: 'established',
            effects: ['record_approval_step', 'cancel_pilot_calendar', 'notify_program_lead'],
          },
  },
  {
    from: 'full_proposal_review',
    event: 'reject',
    by: ['approver'],
    needsComment: 'A comment is required when returning a full proposal to pilot',
    // A later resubmission goes through the whole chain again.
    decide: () => ({ to: 'pilot', effects: ['clear_approval_steps', 'notify_program_lead'] }),
  },
  {
    from: 'established',
    event: 'retire',
    by: retiringRoles.established,
    needsComment: retireReason,
    decide: () => ({ to: 'retired', effects: retireEffects('established') }),
  },
  {
    from: 'retired',
    event: 'reinstate',
    by: reinstatingRoles,
    check: (context) =>
      context.retirement === undefined
        ? 'This program was retired before retirements were recorded, so it cannot be reinstated here'
        : context.retirement.reinstateRefusal,
    // Back to where it was retired from: enrolment opens again and the listing is live again.
    decide: (context) => ({
      to: context.retirement?.from ?? 'established',
      effects: ['open_enrolment', 'publish_listing', 'notify_program_lead', 'notify_credentials_office'],
    }),
  },
];

/** True when `value` is one of the program events (useful when reading form input). */
export function isProgramEvent(value: unknown): value is ProgramEvent {
  return typeof value === 'string' && (programEvents as readonly string[]).includes(value);
}

function actsAs(role: ProgramRole, context: TransitionContext): boolean {
  if (role === 'program_lead') return context.isProgramLead;
  if (role === 'signer') return context.isNamedSigner;
  return context.actorRoles.includes(role);
}

function joinOr(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

const hasText = (comment: string | undefined): boolean => (comment ?? '').trim().length > 0;

/**
 * Works out what `event` does to a program in `state` for the actor described by `context`.
 * Checks run in a fixed order (is the event possible at all, may this actor do it, is a comment given,
 * are the preconditions met) so the reason names the first thing to fix.
 */
export function transition(
  state: ProgramState,
  event: ProgramEvent,
  context: TransitionContext,
): TransitionResult {
  if (!isProgramState(state)) return { ok: false, reason: `Unknown program state "${String(state)}"` };
  if (!isProgramEvent(event)) return { ok: false, reason: `Unknown program action "${String(event)}"` };
  const rule = rules.find((r) => r.from === state && r.event === event);
  if (rule === undefined) {
    return {
      ok: false,
      reason: `"${programEventLabels[event]}" is not possible while the program is "${programStateLabels[state]}"`,
    };
  }
  if (!rule.by.some((role) => actsAs(role, context))) {
    const who = joinOr(rule.by.map((role) => roleNames[role]));
    return { ok: false, reason: `Only ${who} can ${eventPhrases[event]}` };
  }
  if (rule.needsComment !== undefined && !hasText(context.comment)) {
    return { ok: false, reason: rule.needsComment };
  }
  const refusal = rule.check?.(context);
  if (refusal !== undefined) return { ok: false, reason: refusal };
  const outcome = rule.decide(context);
  const effects: ProgramEffect[] = hasText(context.comment)
    ? ['record_comment', ...outcome.effects]
    : [...outcome.effects];
  return { ok: true, to: outcome.to, effects };
}

/** The events this actor could successfully apply right now, in the canonical event order. */
export function allowedEvents(state: ProgramState, context: TransitionContext): ProgramEvent[] {
  return programEvents.filter((event) => transition(state, event, context).ok);
}

// ---- modifications of an approved program ----------------------------------------------------------------
// A change to a pilot or established program that needs approval has a small life of its own, beside the
// program's: the program stays in its state (and public as it was) while the modification is decided.

export const modificationStates = ['draft', 'in_review', 'approved', 'withdrawn'] as const;

/** Where a proposed change to an approved program stands; `program_modifications.status` holds these. */
export type ModificationState = (typeof modificationStates)[number];

/** Still open: being drafted or decided. A program has at most one open modification. */
export const OPEN_MODIFICATION_STATES = [
  'draft',
  'in_review',
] as const satisfies readonly ModificationState[];

export const modificationStateLabels: Readonly<Record<ModificationState, string>> = {
  draft: 'Proposed change, not yet submitted',
  in_review: 'Proposed change under review',
  approved: 'Approved and published',
  withdrawn: 'Withdrawn',
};

export const modificationEvents = ['submit', 'approve_step', 'return', 'withdraw'] as const;
export type ModificationEvent = (typeof modificationEvents)[number];

export const modificationEventLabels: Readonly<Record<ModificationEvent, string>> = {
  submit: 'Submit the change for approval',
  approve_step: 'Approve the change',
  return: 'Return the change with a comment',
  withdraw: 'Withdraw the proposed change',
};

export interface ModificationContext {
  /** The person may change this program (its lead or the credentials office): they draft and submit. */
  mayEdit: boolean;
  /** The person may record the decision of the chain's next step (its role or the person it names). */
  mayDecideStep: boolean;
  /** Steps still to approve, counting the one being approved now. */
  remainingSteps: number;
  comment?: string;
}

const modificationRules: Readonly<
  Record<
    ModificationEvent,
    { from: readonly ModificationState[]; refuse: (c: ModificationContext) => string | undefined }
  >
> = {
  submit: {
    from: ['draft'],
    refuse: (c) =>
      c.mayEdit ? undefined : 'Only the program lead or the credentials office can submit a change',
  },
  withdraw: {
    from: ['draft', 'in_review'],
    refuse: (c) =>
      c.mayEdit ? undefined : 'Only the program lead or the credentials office can withdraw a change',
  },
  approve_step: {
    from: ['in_review'],
    refuse: (c) =>
      !c.mayDecideStep
        ? 'This step of the change is not yours to decide'
        : c.remainingSteps >= 1
          ? undefined
          : 'There is no review step left to approve',
  },
  return: {
    from: ['in_review'],
    refuse: (c) =>
      !c.mayDecideStep
        ? 'This step of the change is not yours to decide'
        : hasText(c.comment)
          ? undefined
          : 'A comment is required when returning a change',
  },
};

/**
 * Where `event` takes a modification in `state`, or why not. Approving the last step approves the change
 * (its caller then publishes it as the program's next version); a return sends it back to be edited.
 */
export function modificationTransition(
  state: ModificationState,
  event: ModificationEvent,
  context: ModificationContext,
): { ok: true; to: ModificationState } | { ok: false; reason: string } {
  const rule = modificationRules[event];
  if (!rule.from.includes(state)) {
    return {
      ok: false,
      reason: `"${modificationEventLabels[event]}" is not possible while the change is "${modificationStateLabels[state]}"`,
    };
  }
  const refusal = rule.refuse(context);
  if (refusal) return { ok: false, reason: refusal };
  if (event === 'submit') return { ok: true, to: 'in_review' };
  if (event === 'withdraw') return { ok: true, to: 'withdrawn' };
  if (event === 'return') return { ok: true, to: 'draft' };
  return { ok: true, to: context.remainingSteps > 1 ? 'in_review' : 'approved' };
}

/**
 * Events this actor's relationship to the program would allow but a precondition refuses now (an MOU still to
 * attach), with the reason: a page says it where the button would be, instead of offering a button that fails.
 */
export function blockedEvents(
  state: ProgramState,
  context: TransitionContext,
): { event: ProgramEvent; reason: string }[] {
  const blocked: { event: ProgramEvent; reason: string }[] = [];
  for (const rule of rules) {
    if (rule.from !== state || !rule.by.some((role) => actsAs(role, context))) continue;
    const reason = rule.check?.(context);
    if (reason !== undefined) blocked.push({ event: rule.event, reason });
  }
  return blocked;
}
