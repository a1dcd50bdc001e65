/**
 * Who may decide what on a program, beyond the roles the lifecycle asks for: separation of duties. A person who
 * proposed or leads a program never records a review decision on it, whatever other roles they hold; the
 * decision waits for someone else. Pure, so the page, the inbox and the service all ask the same function.
 */
import type { ProgramEvent } from './lifecycle.ts';

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
