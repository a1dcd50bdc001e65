/**
 * Who sees how a program is doing. The figures name no learner, but they are the program's internal record
 * (enrolments, completion, revenue), so they are for the people who run or judge it: its own lead, the
 * credentials office, approvers (who decide on pilots from them) and administrators. Pure, so the route's gate,
 * the link on the program page and the service ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

export type InsightAction = 'view_program_insight' | 'view_overview';

/** Roles that see every program's figures. */
const overseers: readonly Role[] = ['credentials_office', 'approver', 'admin'];

/** The roles that may take each action: also the route's coarse gate (a lead then sees only their own). */
export const insightRoles: Readonly<Record<InsightAction, readonly Role[]>> = {
  view_program_insight: ['program_lead', ...overseers],
  // The whole institution's figures: for those who oversee every program, not a lead of a few.
  view_overview: overseers,
};

export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: InsightAction): boolean =>
  hasRole(actor, ...insightRoles[action]);

/** Whether this person may see this program's figures: an overseer, or the lead of this very program. */
export function maySeeProgram(
  actor: Pick<Actor, 'id' | 'roles'> | null,
  program: { leadUserId: string | null },
): boolean {
  if (!actor) return false;
  if (hasRole(actor, ...overseers)) return true;
  return hasRole(actor, 'program_lead') && program.leadUserId === actor.id;
}
