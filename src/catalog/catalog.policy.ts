/**
 * Who may do what with the catalog beyond reading its public pages: certificates are edited by the credentials
 * office (administrators act for it) and read, drafts included, by the registrar, who awards the transcripted
 * ones. Pure, so the routes' gate, the editor's buttons and the service ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/db/schema.ts';

/** What someone may do with certificates, before asking which one it is. */
export type CatalogAction = 'read_certificate_drafts' | 'edit_certificates' | 'publish_certificates';

/** The roles that may take each action: also the routes' coarse gate. */
export const catalogRoles: Readonly<Record<CatalogAction, readonly Role[]>> = {
  read_certificate_drafts: ['credentials_office', 'admin', 'registrar'],
  edit_certificates: ['credentials_office', 'admin'],
  publish_certificates: ['credentials_office', 'admin'],
};

/** May this person take this action at all? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: CatalogAction): boolean =>
  hasRole(actor, ...catalogRoles[action]);

/** What the certificate screens offer this person; they show what this says and decide nothing. */
export const certificateFlagsFor = (actor: Pick<Actor, 'roles'> | null) => ({
  canEdit: mayDo(actor, 'edit_certificates'),
  canPublish: mayDo(actor, 'publish_certificates'),
});

/** What someone who may only read is told when they try to change a certificate. */
export const EDIT_REFUSAL = 'Only the credentials office and administrators edit certificates.';
