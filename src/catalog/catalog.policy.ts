/**
 * Who may do what with the academic structure (departments, terms, courses). The public catalog is open to
 * everyone and needs no rule here. The registrar keeps the structure, with administrators; nobody else reads the
 * staff screens. A course someone proposed in their own program proposal waits for another person to confirm
 * it, so nobody decides on their own request. Pure, so routes, services and pages ask the same functions.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/db/schema.ts';

export type CatalogAction = 'view_structure' | 'change_structure' | 'import_structure' | 'confirm_course';

/** The roles that may take each action: also the routes' coarse gate. */
export const catalogRoles: Readonly<Record<CatalogAction, readonly Role[]>> = {
  view_structure: ['registrar', 'admin'],
  change_structure: ['registrar', 'admin'],
  import_structure: ['registrar', 'admin'],
  confirm_course: ['registrar', 'admin'],
};

/** May this person take this action at all? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: CatalogAction): boolean =>
  hasRole(actor, ...catalogRoles[action]);

/** May this person confirm this proposed course? Not when they proposed it themselves. */
export const mayConfirmCourse = (
  actor: Pick<Actor, 'id' | 'roles'> | null,
  course: { proposedBy: string | null },
): boolean => mayDo(actor, 'confirm_course') && actor !== null && actor.id !== course.proposedBy;
