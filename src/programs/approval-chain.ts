/**
 * Approval chains as plain data, so each institution can describe its own governance bodies (committees,
 * senate, provost) without code changes. Steps are approved in the order listed.
 */

export type ApprovalStepRole = 'approver' | 'credentials_office' | 'admin';

export interface ApprovalStep {
  key: string;
  name: string;
  /** The role whose members may record this step's decision. */
  role: ApprovalStepRole;
  /**
   * A person named for this step (a provost, a named committee chair): then only they decide it, whatever
   * roles others hold. `role` still says which office they decide for.
   */
  person?: { id: string; name: string; email?: string };
}

export interface ApprovalChain {
  key: string;
  name: string;
  steps: readonly ApprovalStep[];
}

export type ChainValidation = { ok: true } | { ok: false; problems: string[] };

/** Demo default: a pilot needs only the faculty senate's approval. */
export const pilotChain: ApprovalChain = {
  key: 'pilot',
  name: 'Pilot approval',
  steps: [{ key: 'faculty_senate', name: 'Faculty Senate', role: 'approver' }],
};

/** Demo default: making a pilot permanent goes through committee review, the senate and the provost. */
export const fullProposalChain: ApprovalChain = {
  key: 'full_proposal',
  name: 'Full proposal approval',
  steps: [
    { key: 'interdisciplinary_subcommittee', name: 'Interdisciplinary sub-committee', role: 'approver' },
    { key: 'senate_committees', name: 'Faculty Senate committees', role: 'approver' },
    { key: 'faculty_senate', name: 'Faculty Senate', role: 'approver' },
    { key: 'provost', name: 'Provost', role: 'approver' },
  ],
};

/**
 * Default for changes to an approved program: the curriculum committee (held by approvers). A chain of one,
 * so a fee or course change is reviewed without sending it through the whole full-proposal chain again.
 */
export const modificationChain: ApprovalChain = {
  key: 'modification',
  name: 'Program modification approval',
  steps: [{ key: 'curriculum_committee', name: 'Curriculum committee', role: 'approver' }],
};

const stepRoles: readonly string[] = ['approver', 'credentials_office', 'admin'];

/**
 * The first step in chain order that has not been completed, or undefined once every step is done.
 * Keys that are not part of the chain are ignored (they may belong to an older version of it).
 */
export function nextStep(
  chain: ApprovalChain,
  completedStepKeys: Iterable<string>,
): ApprovalStep | undefined {
  const done = new Set(completedStepKeys);
  return chain.steps.find((step) => !done.has(step.key));
}

/** How many of the chain's steps are still to be approved; feeds `remainingSteps` of the lifecycle. */
export function remainingSteps(chain: ApprovalChain, completedStepKeys: Iterable<string>): number {
  const done = new Set(completedStepKeys);
  return chain.steps.filter((step) => !done.has(step.key)).length;
}

/**
 * Checks a chain loaded from institution configuration: it needs a key, a name, at least one step, and
 * steps with non-blank, unique keys, a name and a known role. Returns every problem found, not just the first.
 */
export function validateChain(chain: ApprovalChain): ChainValidation {
  const problems: string[] = [];
  if (chain.key.trim() === '') problems.push('The chain needs a key');
  if (chain.name.trim() === '') problems.push('The chain needs a name');
  if (chain.steps.length === 0) problems.push('The chain needs at least one step');
  const seen = new Set<string>();
  chain.steps.forEach((step, index) => {
    const where = `Step ${index + 1}`;
    if (step.key.trim() === '') problems.push(`${where} needs a key`);
    else if (seen.has(step.key)) problems.push(`${where} repeats the key "${step.key}"`);
    seen.add(step.key);
    if (step.name.trim() === '') problems.push(`${where} needs a name`);
    // Chains come from configuration files, so the role is checked at run time too.
    if (!stepRoles.includes(step.role)) problems.push(`${where} has an unknown role "${String(step.role)}"`);
    if (step.person !== undefined && (typeof step.person?.id !== 'string' || !step.person.name?.trim())) {
      problems.push(`${where} names a person without their account`);
    }
  });
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
