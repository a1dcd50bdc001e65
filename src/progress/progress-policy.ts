import { forbidden } from '../platform/errors.ts';
import { type Actor, hasRole } from '../platform/http/page-context.ts';

/**
 * Who oversees a program's learners (sees their progress, signs off experiences, approves substitutions and
 * decides badge requests): the program's own lead, and the credentials office and administrators, who stand
 * in when a program has no lead or the lead is away.
 */
export function canOverseeProgram(actor: Actor, program: { leadUserId: string | null }): boolean {
  if (hasRole(actor, 'credentials_office', 'admin')) return true;
  return hasRole(actor, 'program_lead') && program.leadUserId === actor.id;
}

export function assertOverseesProgram(actor: Actor, program: { leadUserId: string | null }): void {
  if (!canOverseeProgram(actor, program)) {
    throw forbidden(
      'Only the lead of this program, the credentials office or an administrator can see or change its learners.',
    );
  }
}

/** Staff who oversee every program, rather than only the ones they lead. */
export const overseesEveryProgram = (actor: Actor): boolean => hasRole(actor, 'credentials_office', 'admin');
