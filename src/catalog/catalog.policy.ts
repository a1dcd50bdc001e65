/**
 * Who may do what with the catalog beyond reading its public pages. Pure, so the routes' gate, the screens' buttons
 * and the services ask the same thing.
 * - Certificates are edited by the credentials office (administrators act for it) and read, drafts included, by the
 *   registrar, who awards the transcripted ones.
 * - The academic structure (departments, terms, courses) is kept by the registrar, with administrators; nobody else
 *   reads those staff screens. A course someone proposed in their own program proposal waits for another person to
 *   confirm it, so nobody decides on their own request.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with the catalog, before asking which certificate or course it is. */
export type CatalogAction =
  | 'read_certificate_drafts'
  | 'edit_certificates'
  | 'publish_certificates'
  | 'view_structure'
  | 'change_structure'
  | 'import_structure'
  | 'confirm_course';

/** The roles that may take each action: also the routes' coarse gate. */
export const catalogRoles: Readonly<Record<CatalogAction, readonly Role[]>> = {
  read_certificate_drafts: ['credentials_office', 'admin', 'registrar'],
  edit_certificates: ['credentials_office', 'admin'],
  publish_certificates: ['credentials_office', 'admin'],
  view_structure: ['registrar', 'admin'],
  change_structure: ['registrar', 'admin'],
  import_structure: ['registrar', 'admin'],
  confirm_course: ['registrar', 'admin'],
};

/** May this person take this action at all? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: CatalogAction): boolean =>
  hasRole(actor, ...catalogRoles[action]);

/**
 * Like `mayDo`, for services that also act for a system party: the command line, or an API client whose token's
 * scope the route has already checked. Those callers decided; the roles are for people.
 */
export const mayActOn = (
  actor: Pick<Actor, 'roles'> | { system: string } | null,
  action: CatalogAction,
): boolean => actor !== null && ('system' in actor || mayDo(actor, action));

/** What the certificate screens offer this person; they show what this says and decide nothing. */
export const certificateFlagsFor = (actor: Pick<Actor, 'roles'> | { system: string } | null) => ({
  canEdit: mayActOn(actor, 'edit_certificates'),
  canPublish: mayActOn(actor, 'publish_certificates'),
});

/** What someone who may only read is told when they try to change a certificate. */
export const EDIT_REFUSAL = 'Only the credentials office and administrators edit certificates.';

/** May this person confirm this proposed course? Not when they proposed it themselves. */
export const mayConfirmCourse = (
  actor: Pick<Actor, 'id' | 'roles'> | null,
  course: { proposedBy: string | null },
): boolean => mayDo(actor, 'confirm_course') && actor !== null && actor.id !== course.proposedBy;
