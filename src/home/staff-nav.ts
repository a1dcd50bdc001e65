/**
 * The staff navigation in every page's header: one section per area of work, each shown to exactly the people
 * its owner module's policy lets through that area's door, so the bar never offers a page that would refuse.
 * Pure; the layout only draws what this returns. Learners and visitors get an empty list and keep the plain header.
 */
import { mayDo as mayDoInBilling } from '../billing/billing.policy.ts';
import { mayDo as mayDoInCatalog } from '../catalog/catalog.policy.ts';
import { mayDo as mayDoInInsight } from '../insight/insight.policy.ts';
import { mayDo as mayDoInIssuing } from '../issuing/issuing.policy.ts';
import { mayDo as mayDoInLearners } from '../learners/learners.policy.ts';
import type { Actor } from '../platform/actor.ts';
import type { StaffNavItem } from '../platform/http/page-context.ts';
import { mayDo as mayDoInPrograms } from '../programs/programs.policy.ts';
import { adminScreensFor } from './admin-screens.ts';
import { linksFor } from './role-links.ts';

/** Every staff section in bar order, with the rule that shows it. */
const sections: readonly (StaffNavItem & { shows(actor: Pick<Actor, 'roles'>): boolean })[] = [
  {
    href: '/programs',
    label: 'Programs',
    prefix: '/programs',
    shows: (a) => mayDoInPrograms(a, 'open_programs'),
  },
  // Who has decisions waiting is the role homes' word: the inbox is listed there for those who sign and approve.
  {
    href: '/inbox',
    label: 'Inbox',
    prefix: '/inbox',
    shows: (a) => linksFor(a.roles).some((l) => l.href === '/inbox'),
  },
  {
    href: '/certificates',
    label: 'Certificates',
    prefix: '/certificates',
    shows: (a) => mayDoInCatalog(a, 'read_certificate_drafts'),
  },
  {
    href: '/learners',
    label: 'Learners',
    prefix: '/learners',
    shows: (a) => mayDoInLearners(a, 'read_records'),
  },
  { href: '/issuing', label: 'Issuing', prefix: '/issuing', shows: (a) => mayDoInIssuing(a, 'issue') },
  // A program lead prepares tracking lists but issues nothing: their section is the lists alone.
  {
    href: '/issuing/tracking-lists',
    label: 'Tracking lists',
    prefix: '/issuing/tracking-lists',
    shows: (a) => mayDoInIssuing(a, 'prepare_list') && !mayDoInIssuing(a, 'issue'),
  },
  { href: '/billing', label: 'Billing', prefix: '/billing', shows: (a) => mayDoInBilling(a, 'open_ledger') },
  {
    href: '/insight',
    label: 'Insight',
    prefix: '/insight',
    shows: (a) => mayDoInInsight(a, 'view_overview'),
  },
  // The administration index lists each settings screen by its own module's rule; the section shows when one opens.
  { href: '/admin', label: 'Admin', prefix: '/admin', shows: (a) => adminScreensFor(a).length > 0 },
];

const help: StaffNavItem = { href: '/help/staff', label: 'Help', prefix: '/help' };

/** The sections this person's roles open, then Help; empty for learners and visitors. */
export function staffNavFor(actor: Pick<Actor, 'roles'> | null): StaffNavItem[] {
  if (actor === null) return [];
  const open = sections
    .filter((s) => s.shows(actor))
    .map(({ href, label, prefix }) => ({ href, label, prefix }));
  return open.length === 0 ? [] : [...open, help];
}
