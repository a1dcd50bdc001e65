/**
 * The administration index (`/admin`): every settings screen of the site, grouped by what it looks after. Each
 * entry opens to exactly the roles its owner module's policy lets through that screen's door (the same role lists
 * the screens' routes declare), so the index and the staff bar never offer a page that would refuse. Pure.
 */
import { accountsRoles } from '../accounts/accounts.policy.ts';
import { auditRoles } from '../audit/audit.policy.ts';
import { catalogRoles } from '../catalog/catalog.policy.ts';
import { institutionRoles } from '../institution/institution.policy.ts';
import { integrationsRoles } from '../integrations/integrations.policy.ts';
import { notificationsRoles } from '../notifications/notifications.policy.ts';
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import { programsRoles } from '../programs/programs.policy.ts';
import { ssoRoles } from '../sso/sso.policy.ts';
import { verificationRoles } from '../verification/verification.policy.ts';

/** One screen on the index: where it is, what it is called, what it is for. */
export interface AdminScreen {
  readonly href: string;
  readonly label: string;
  readonly hint: string;
}

/** A group of screens under one heading. */
export interface AdminGroup {
  readonly heading: string;
  readonly screens: readonly AdminScreen[];
}

type Gated = AdminScreen & { readonly roles: readonly Role[] };

const groups: readonly { heading: string; screens: readonly Gated[] }[] = [
  {
    heading: 'People and access',
    screens: [
      {
        href: '/admin/users',
        label: 'People and roles',
        hint: 'Invite people, give and take away roles, deactivate accounts',
        roles: accountsRoles.list_users,
      },
      {
        href: '/admin/api-clients',
        label: 'API clients',
        hint: 'Integrations that call the API, their scopes and secrets',
        roles: integrationsRoles.view_api_clients,
      },
      {
        href: '/admin/sso',
        label: 'Single sign-on',
        hint: "Sign-in with the university's account, and whether staff may still use passwords",
        roles: ssoRoles.view_providers,
      },
      {
        href: '/admin/audit',
        label: 'Audit log',
        hint: 'Every decision, change and sign-in, with who made it',
        roles: auditRoles.read_log,
      },
    ],
  },
  {
    heading: 'Institution',
    screens: [
      {
        href: '/admin/institution',
        label: 'Institution profile',
        hint: 'Names, logo, colours, contacts, fees and signing keys',
        roles: institutionRoles.view_profile,
      },
      {
        href: '/admin/trusted-issuers',
        label: 'Trusted issuers',
        hint: 'Other issuers whose badges verify here',
        roles: verificationRoles.view_trusted_issuers,
      },
      {
        href: '/admin/mail',
        label: 'Outgoing mail',
        hint: 'What was sent, and what could not be delivered',
        roles: notificationsRoles.read_outbox,
      },
    ],
  },
  {
    heading: 'Academic structure',
    screens: [
      {
        href: '/admin/departments',
        label: 'Departments',
        hint: 'Departments and their heads',
        roles: catalogRoles.view_structure,
      },
      {
        href: '/admin/terms',
        label: 'Terms',
        hint: 'Academic terms and their dates',
        roles: catalogRoles.view_structure,
      },
      {
        href: '/admin/courses',
        label: 'Courses',
        hint: 'The course catalog; confirm courses named in proposals',
        roles: catalogRoles.view_structure,
      },
      {
        href: '/certificates',
        label: 'Certificates',
        hint: 'Certificates that micro-credentials stack into, and their versions',
        roles: catalogRoles.read_certificate_drafts,
      },
      {
        href: '/admin/approval-chains',
        label: 'Approval chains',
        hint: 'Who signs and approves pilots and full proposals',
        roles: programsRoles.change_approval_chains,
      },
    ],
  },
];

/** The groups of screens this person may open, each with only those screens; empty groups are left out. */
export function adminScreensFor(actor: Pick<Actor, 'roles'> | null): AdminGroup[] {
  return groups
    .map(({ heading, screens }) => ({
      heading,
      screens: screens
        .filter((screen) => hasRole(actor, ...screen.roles))
        .map(({ href, label, hint }) => ({ href, label, hint })),
    }))
    .filter((group) => group.screens.length > 0);
}

/** Everyone who finds at least one screen on the index: the index route's gate. */
export const adminIndexRoles: readonly Role[] = [
  ...new Set(groups.flatMap((group) => group.screens.flatMap((screen) => screen.roles))),
];
