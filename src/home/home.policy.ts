/**
 * Which sections of the role home a person sees. Each section links into another module, so the rule for it is
 * that module's own (the outbox is notifications', people and roles are accounts'); this file only names the
 * home's own sections: a learner's enrolments, a lead's programs, and the staff figures. The offices' queues and
 * exports are shown to whoever the owning module lets do that work (a person with several roles sees each). Pure, so the service
 * loads only what the page will show and the page shows what this says.
 */
import { mayDo as mayDoInAccounts } from '../accounts/accounts.policy.ts';
import { mayDo as mayDoInAudit } from '../audit/audit.policy.ts';
import { mayDo as mayDoInBilling } from '../billing/billing.policy.ts';
import { mayDo as mayDoInInstitution } from '../institution/institution.policy.ts';
import { mayDo as mayDoInIssuing } from '../issuing/issuing.policy.ts';
import { mayDo as mayDoInNotifications } from '../notifications/notifications.policy.ts';
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import { mayDo as mayDoInPrograms } from '../programs/programs.policy.ts';

/** Staff who see the institution's figures (programs by status, learners, enrolments) on their home. */
export const staffFigureRoles: readonly Role[] = [
  'credentials_office',
  'registrar',
  'bursar',
  'approver',
  'admin',
];

/** The role home's sections this person sees. */
export interface HomeSections {
  readonly ownEnrolments: boolean;
  readonly ledPrograms: boolean;
  readonly staffFigures: boolean;
  readonly outgoingMail: boolean;
  readonly administration: boolean;
  /** The credentials office's queues: requests, tracking lists, reviews due (programs' overseers of reviews). */
  readonly officeQueues: boolean;
  /** What the next registrar export would carry (those issuing lets export for the registrar). */
  readonly registrarExports: boolean;
  /** What the next bursar export would carry (those billing lets export). */
  readonly bursarExports: boolean;
  /** The reminder that the institution's profile is still the placeholder, for those who can set it up. */
  readonly institutionSetup: boolean;
}

export function homeSectionsFor(actor: Pick<Actor, 'roles'>): HomeSections {
  return {
    ownEnrolments: hasRole(actor, 'learner'),
    ledPrograms: hasRole(actor, 'program_lead'),
    staffFigures: hasRole(actor, ...staffFigureRoles),
    outgoingMail: mayDoInNotifications(actor, 'read_outbox'),
    officeQueues: mayDoInPrograms(actor, 'oversee_reviews'),
    registrarExports: mayDoInIssuing(actor, 'export_for_registrar'),
    bursarExports: mayDoInBilling(actor, 'export'),
    administration: mayDoInAccounts(actor, 'list_users') && mayDoInAudit(actor, 'read_log'),
    institutionSetup: mayDoInInstitution(actor, 'edit_profile'),
  };
}
