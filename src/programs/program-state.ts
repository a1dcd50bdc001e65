/**
 * Pure helpers between stored rows and the lifecycle: what a program's fields are, what the lifecycle needs to
 * know about the person acting, which actions to offer, and how far each approval chain has come.
 */
import type { Actor } from '../platform/actor.ts';
import type { Skill } from '../platform/db/schema.ts';
import type { Role as AccountRole } from '../platform/roles.ts';
import type { Rule } from '../requirements/index.ts';
import { type ApprovalChain, type ApprovalStep, nextStep, remainingSteps } from './approval-chain.ts';
import { allowedEvents, blockedEvents, programEventLabels, type TransitionContext } from './lifecycle.ts';
import type { ProgramFields, ProposalFields } from './program-form.ts';
import type {
  CreditType,
  DeliveryMode,
  EnrolmentPath,
  Level,
  ProgramEvent,
  ProgramRole,
  ProgramState,
} from './program-vocabulary.ts';
import { mayDecideStep, ownDecisionRefusal } from './programs.policy.ts';
import type { IssuingOffice, ProgramContact, SignerStatus } from './programs.tables.ts';

/** The stored columns `fieldsOf` reads. */
export interface ProgramColumns {
  title: string;
  slug: string;
  summary: string;
  description: string;
  department_code: string;
  level: Level;
  credits_min: number;
  credits_max: number;
  credit_type: CreditType;
  issuing_office: IssuingOffice;
  fee_cents: number;
  validity_years: number | null;
  /** Absent from rows read before migration 0050 in tests' own fixtures. */
  renewal_requirement?: unknown;
  outcomes: string[];
  skills: Skill[];
  requirement: unknown;
  stacks_into: string[];
  enrolment_paths: EnrolmentPath[];
  contacts: ProgramContact[];
  /** Absent from rows read before migration 0043 in tests' own fixtures; null when never chosen. */
  delivery_mode?: DeliveryMode | null;
  audience?: string;
  version: number;
}

export function fieldsOf(row: ProgramColumns, courses: string[]): ProgramFields {
  return {
    title: row.title,
    slug: row.slug,
    summary: row.summary,
    description: row.description,
    departmentCode: row.department_code,
    level: row.level,
    creditsMin: row.credits_min,
    creditsMax: row.credits_max,
    creditType: row.credit_type,
    courses,
    requirement: row.requirement as Rule,
    outcomes: row.outcomes,
    skills: row.skills,
    feeCents: row.fee_cents,
    validityYears: row.validity_years,
    renewalRequirement: (row.renewal_requirement ?? null) as Rule | null,
    stacksInto: row.stacks_into,
    enrolmentPaths: row.enrolment_paths,
    contacts: row.contacts ?? [],
    deliveryMode: row.delivery_mode ?? null,
    audience: row.audience ?? '',
  };
}

/** The stored proposal columns `proposalFieldsOf` reads. */
export interface ProposalColumns {
  rationale: string;
  assessment_plan: string;
  market_analysis: string;
  financial_model: string;
  marketing_plan: string;
  is_interdisciplinary: boolean;
  has_third_party: boolean;
}

export function proposalFieldsOf(row: ProposalColumns): ProposalFields {
  return {
    rationale: row.rationale,
    assessmentPlan: row.assessment_plan,
    marketAnalysis: row.market_analysis,
    financialModel: row.financial_model,
    marketingPlan: row.marketing_plan,
    isInterdisciplinary: row.is_interdisciplinary,
    hasThirdParty: row.has_third_party,
  };
}

/** What a program version records: everything a credential issued under it describes. */
export type ProgramSnapshot = ProgramFields & { issuingOffice: IssuingOffice; version: number };

export function snapshotOf(row: ProgramColumns, courses: string[]): ProgramSnapshot {
  return { ...fieldsOf(row, courses), issuingOffice: row.issuing_office, version: row.version };
}

/** JSON with object keys sorted, so values read back from jsonb (which reorders keys) compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Names of the fields that differ between two versions of a program. */
export function changedFields(before: ProgramFields, after: ProgramFields): (keyof ProgramFields)[] {
  return (Object.keys(after) as (keyof ProgramFields)[]).filter(
    (key) => canonicalJson(before[key]) !== canonicalJson(after[key]),
  );
}

export interface SignerState {
  user_id: string;
  status: SignerStatus;
}

/** What the context builder needs to know about one program. */
export interface ProgramFacts {
  status: ProgramState;
  leadUserId: string | null;
  signers: readonly SignerState[];
  hasMou: boolean;
  mouRequired: boolean;
  /** Step keys approved (and not cleared) on the full-proposal chain. */
  fullChainDone: readonly string[];
  /** The pilot chain's step waiting for a decision, while the proposal is submitted. */
  pilotNextStep?: ApprovalStep | undefined;
  /** Of a retired program: where it was retired from, and why it may no longer be reinstated. */
  retirement?: TransitionContext['retirement'];
}

const lifecycleRoles: readonly AccountRole[] = ['credentials_office', 'approver', 'admin'];

/**
 * The lifecycle's view of the person acting. During full-proposal review the chain decides who approves: a
 * person counts as an approver when they hold the role of the step that is next, and only then.
 */
export function transitionContext(
  actor: Actor,
  facts: ProgramFacts,
  fullChain: ApprovalChain,
  comment?: string,
): TransitionContext {
  let roles = actor.roles.filter((role) => lifecycleRoles.includes(role)) as ProgramRole[];
  if (facts.status === 'full_proposal_review') {
    const step = nextStep(fullChain, facts.fullChainDone);
    roles = roles.filter((role) => role !== 'approver');
    // A step naming a person waits for them alone; otherwise for holders of its role.
    if (step && (step.person ? step.person.id === actor.id : actor.roles.includes(step.role))) {
      roles.push('approver');
    }
  }
  // Whoever may record the pilot chain's next step (an administrator, when the step is theirs; a named person)
  // counts as its approver, so the lifecycle lets them decide it.
  if (
    facts.status === 'submitted' &&
    facts.pilotNextStep &&
    mayDecideStep(actor, facts.pilotNextStep) &&
    !roles.includes('approver')
  ) {
    roles.push('approver');
  }
  return {
    actorRoles: roles,
    isProgramLead: facts.leadUserId !== null && facts.leadUserId === actor.id,
    isNamedSigner: facts.signers.some((s) => s.user_id === actor.id && s.status === 'pending'),
    allSigned: facts.signers.length > 0 && facts.signers.every((s) => s.status === 'signed'),
    remainingSteps: remainingSteps(fullChain, facts.fullChainDone),
    hasMou: facts.hasMou,
    mouRequired: facts.mouRequired,
    ...(facts.retirement ? { retirement: facts.retirement } : {}),
    ...(comment === undefined ? {} : { comment }),
  };
}

/** An action offered on the program page: a lifecycle event, or signing (which is not a state change). */
export interface OfferedAction {
  action: ProgramEvent | 'sign';
  label: string;
  needsComment: boolean;
}

/**
 * The actions this person could take right now, in lifecycle order, marking those that need a comment. Review
 * decisions on their own program are left out (the programs policy); `offeredActionsWithheld` says why.
 */
export function offeredActions(actor: Actor, facts: ProgramFacts, fullChain: ApprovalChain): OfferedAction[] {
  const program = { leadUserId: facts.leadUserId };
  return rolesAllow(actor, facts, fullChain).filter(
    (a) => ownDecisionRefusal(actor, program, a.action) === undefined,
  );
}

/**
 * Steps this person could take but may not yet, each with its button's label and the reason (an MOU to attach,
 * signatures still to come): the page shows the reason where the button would be.
 */
export function blockedActions(
  actor: Actor,
  facts: ProgramFacts,
  fullChain: ApprovalChain,
): { label: string; reason: string }[] {
  return blockedEvents(facts.status, transitionContext(actor, facts, fullChain)).map(({ event, reason }) => ({
    label: programEventLabels[event],
    reason,
  }));
}

/** Why a decision this person's roles would allow is not offered to them (their own program), if one is. */
export function offeredActionsWithheld(
  actor: Actor,
  facts: ProgramFacts,
  fullChain: ApprovalChain,
): string | undefined {
  const program = { leadUserId: facts.leadUserId };
  for (const a of rolesAllow(actor, facts, fullChain)) {
    const refusal = ownDecisionRefusal(actor, program, a.action);
    if (refusal) return refusal;
  }
  return undefined;
}

function rolesAllow(actor: Actor, facts: ProgramFacts, fullChain: ApprovalChain): OfferedAction[] {
  const context = transitionContext(actor, facts, fullChain);
  const withComment = allowedEvents(facts.status, { ...context, comment: 'a comment' });
  const without = new Set(allowedEvents(facts.status, { ...context, comment: undefined }));
  const offered: OfferedAction[] = [];
  if (facts.status === 'awaiting_signatures' && context.isNamedSigner) {
    offered.push({ action: 'sign', label: 'Sign the proposal', needsComment: false });
  }
  for (const event of withComment) {
    // The pilot chain's next step may belong to another role or a named person: offer its decision only to
    // those who may record it, so nobody is shown a button that the service would refuse.
    if (event === 'approve_pilot' && facts.pilotNextStep && !mayDecideStep(actor, facts.pilotNextStep))
      continue;
    offered.push({ action: event, label: programEventLabels[event], needsComment: !without.has(event) });
  }
  return offered;
}

export type StepProgress = ApprovalStep & {
  state: 'approved' | 'next' | 'waiting';
  decidedBy?: string;
  decidedAt?: Date;
  comment?: string | null;
};

/**
 * Each step of a chain with where it stands, from the live (not cleared) approvals. Only a chain in progress
 * (`isActive`: the program waits on it) has a step marked 'next'.
 */
export function chainProgress(
  chain: ApprovalChain,
  approvals: readonly {
    step_key: string;
    decided_by_name: string;
    decided_at: Date;
    comment: string | null;
  }[],
  isActive: boolean,
): StepProgress[] {
  const done = approvals.map((a) => a.step_key);
  const next = isActive ? nextStep(chain, done) : undefined;
  return chain.steps.map((step) => {
    const approval = approvals.find((a) => a.step_key === step.key);
    if (approval) {
      return {
        ...step,
        state: 'approved',
        decidedBy: approval.decided_by_name,
        decidedAt: approval.decided_at,
        comment: approval.comment,
      };
    }
    return { ...step, state: step.key === next?.key ? 'next' : 'waiting' };
  });
}
