import { type Actor, hasRole, isOwnLearnerRecord } from '../platform/actor.ts';
import { forbidden } from '../platform/errors.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do in the progress module, before asking which program or record it is. */
export type ProgressAction = 'follow_own_progress' | 'oversee_programs';

/**
 * The roles that may take each action: also the routes' coarse gate. Learners follow their own progress and
 * ask for badges; the staff pages open to those who may oversee some program, and `canOverseeProgram` then
 * decides for the program at hand (a lead sees only their own).
 */
export const progressRoles: Readonly<Record<ProgressAction, readonly Role[]>> = {
  follow_own_progress: ['learner'],
  oversee_programs: ['program_lead', 'credentials_office', 'admin'],
};

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

/** What a staff member who is also the learner is told when the decision concerns their own record. */
export const OWN_RECORD_REFUSAL = 'This is your own request: another person must decide it.';

/**
 * Separation of duties: nobody decides on their own record (a badge request, a faculty sign-off, a
 * substitution), even when their staff role would let them decide others'. The learner record is theirs when
 * it is linked to their account or carries their e-mail address.
 */
export function ownRecordRefusal(
  actor: Pick<Actor, 'id' | 'email'>,
  learner: { userId: string | null; email: string },
): string | undefined {
  return isOwnLearnerRecord(actor, learner) ? OWN_RECORD_REFUSAL : undefined;
}
