/** Pieces the issuing pages share: their navigation, the office switch, labels and date formats. */
import type { ComponentChildren } from 'preact';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { issuingLinksFor } from './issuing.policy.ts';
import type { Office, TrackingListStatus, TrackingRowStatus } from './issuing.tables.ts';
import { officeLabels } from './offices.ts';

/** The platform's day ('November 25, 2026') and moment ('2026-11-25 15:04 UTC') formats. */
export { formatDay, formatMoment } from '../platform/http/moment.ts';

export const rowStatusLabels: Record<TrackingRowStatus, string> = {
  ready: 'Ready',
  not_eligible: 'Not eligible',
  error: 'Error',
  issued: 'Issued',
  skipped: 'Skipped',
  failed: 'Failed',
};

export const listStatusLabels: Record<TrackingListStatus, string> = {
  preview: 'Preview, not committed',
  queued: 'Committed, waiting to start',
  running: 'Issuing',
  done: 'Issued',
  failed: 'Stopped',
  discarded: 'Discarded',
};

/** Links between the issuing pages, following the person's roles. */
export function IssuingNav({ ctx }: { ctx: PageContext }) {
  const links = issuingLinksFor(ctx.actor);
  return (
    <nav aria-label="Issuing" class="tags staff-links issuing-nav">
      {links.canIssue ? (
        <a href="/issuing" aria-current={ctx.path === '/issuing' ? 'page' : undefined}>
          Approved requests
        </a>
      ) : null}
      <a
        href="/issuing/tracking-lists"
        aria-current={ctx.path === '/issuing/tracking-lists' ? 'page' : undefined}
      >
        Tracking lists
      </a>
      {links.canIssue ? (
        <a href="/issuing/badges" aria-current={ctx.path.startsWith('/issuing/badges') ? 'page' : undefined}>
          Issued badges
        </a>
      ) : null}
      {links.canExportForRegistrar ? (
        <a href="/issuing/exports" aria-current={ctx.path === '/issuing/exports' ? 'page' : undefined}>
          Registrar exports
        </a>
      ) : null}
      {links.canOpenFeeLedger ? <a href="/billing">Fee ledger</a> : null}
    </nav>
  );
}

/** For people who work in both offices: which office's work the page shows. */
export function OfficeSwitch(props: { path: string; offices: readonly Office[]; office: Office }) {
  if (props.offices.length < 2) {
    return <p class="muted">Showing the work of the {officeLabels[props.office].toLowerCase()}.</p>;
  }
  return (
    <nav aria-label="Office" class="tags staff-links issuing-nav">
      <span>Office:</span>
      {props.offices.map((office) => (
        <a
          key={office}
          href={`${props.path}?office=${office}`}
          aria-current={office === props.office ? 'page' : undefined}
        >
          {officeLabels[office]}
        </a>
      ))}
    </nav>
  );
}

/** A green notice after something was done. */
export function DoneNotice({ children }: { children: ComponentChildren }) {
  return <Notice kind="ok">{children}</Notice>;
}
