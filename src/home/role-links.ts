import type { Role } from '../platform/roles.ts';
import { adminScreensFor } from './admin-screens.ts';

/** Where each role's daily work lives; the role home lists the links for every role a person holds. */
export const roleLinks: Record<Role, { href: string; label: string; hint: string }[]> = {
  learner: [
    { href: '/progress', label: 'My progress', hint: 'Requirements met so far, and badge requests' },
    { href: '/backpack', label: 'My badges', hint: 'Download, share and verify your badges' },
    {
      href: '/backpack/profile',
      label: 'My public profile',
      hint: 'One page with the badges you choose to show',
    },
    {
      href: '/account/emails',
      label: 'My e-mail addresses',
      hint: 'Sign in and receive badges at several addresses',
    },
    { href: '/billing/my-account', label: 'My account', hint: 'Badge fees charged, waived or reversed' },
  ],
  program_lead: [
    { href: '/programs', label: 'My programs and proposals', hint: 'Draft, sign and submit proposals' },
    { href: '/progress/programs', label: 'Learner progress', hint: 'Who is complete, close or stalled' },
    { href: '/progress/requests', label: 'Badge requests', hint: 'Verify and approve requests' },
    {
      href: '/issuing/tracking-lists',
      label: 'Tracking lists',
      hint: "Prepare your cohorts' completion lists and submit them to the office",
    },
    { href: '/inbox', label: 'Inbox', hint: 'Signatures and approvals waiting for you' },
  ],
  approver: [
    { href: '/inbox', label: 'Inbox', hint: 'Signatures and approval steps waiting for you' },
    { href: '/programs', label: 'Programs', hint: 'Every proposal and program' },
  ],
  signer: [{ href: '/inbox', label: 'Inbox', hint: 'Proposals waiting for your signature' }],
  credentials_office: [
    { href: '/programs', label: 'Programs', hint: 'Proposals, consultations and approvals' },
    {
      href: '/programs/overdue',
      label: 'Pilot reviews due',
      hint: 'Overdue and upcoming reviews and decisions',
    },
    { href: '/issuing', label: 'Issuing', hint: 'Approved requests and non-credit tracking lists' },
    {
      href: '/issuing/badges',
      label: 'Issued badges',
      hint: 'Find a badge; suspend, reinstate or revoke it',
    },
    { href: '/learners', label: 'Learners', hint: 'Records, enrolments and reactivations' },
    { href: '/learners/imports', label: 'Completions import', hint: 'Upload grades from the student system' },
    { href: '/backpack/templates', label: 'Claim e-mail', hint: 'Edit and preview the claim message' },
    { href: '/certificates', label: 'Certificates', hint: 'Edit certificates and publish new versions' },
  ],
  registrar: [
    { href: '/issuing', label: 'Issuing', hint: 'Credit-bearing tracking lists and approved requests' },
    {
      href: '/issuing/badges',
      label: 'Issued badges',
      hint: 'Find a badge; suspend, reinstate or revoke it',
    },
    { href: '/issuing/exports', label: 'Transcript notations', hint: 'Export to the student system' },
    { href: '/learners/imports', label: 'Completions import', hint: 'Upload grades from the student system' },
    {
      href: '/learners/reactivations',
      label: 'Reactivations',
      hint: 'Returning students waiting for a decision',
    },
    { href: '/certificates', label: 'Certificates', hint: 'The certificates you award, drafts included' },
    { href: '/admin/courses', label: 'Courses', hint: 'The course catalog; confirm proposed courses' },
    { href: '/admin/departments', label: 'Departments', hint: 'Departments and their heads' },
    { href: '/admin/terms', label: 'Terms', hint: 'Academic terms and their dates' },
  ],
  bursar: [{ href: '/billing', label: 'Badge fees', hint: 'Ledger, waivers and the bursar export' }],
  // Every settings screen, from the one list the administration index and the staff bar share.
  admin: adminScreensFor({ roles: ['admin'] }).flatMap((group) => group.screens),
};

/** The links for a person's roles, each address once. */
export function linksFor(roles: readonly Role[]) {
  const byHref = new Map(roles.flatMap((role) => roleLinks[role]).map((link) => [link.href, link]));
  return [...byHref.values()];
}
