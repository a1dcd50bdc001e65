/** Pieces the issuing pages share: their navigation, the office switch, labels and date formats. */
import type { ComponentChildren } from 'preact';
import { currentDisplay } from '../platform/display.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { issuingLinksFor } from './issuing.policy.ts';
import type { Office, TrackingListStatus, TrackingRowStatus } from './issuing.tables.ts';
import { officeLabels } from './offices.ts';

/**
 * 'November 25, 2026' for a calendar day (as written) or a moment (the day it is in the institution's time zone).
 */
export function formatDay(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    // A calendar day was read as midnight UTC above, so only a moment takes the institution's zone.
    timeZone: typeof value === 'string' ? 'UTC' : currentDisplay().timeZone,
  });
}

/** '2026-11-25 15:04 UTC' */
export { formatMoment } from '../platform/http/moment.ts';

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
      <a href="/issuing" aria-current={ctx.path === '/issuing' ? 'page' : undefined}>
        Approved requests
      </a>
      <a
        href="/issuing/tracking-lists"
        aria-current={ctx.path === '/issuing/tracking-lists' ? 'page' : undefined}
      >
        Tracking lists
      </a>
      <a href="/issuing/badges" aria-current={ctx.path.startsWith('/issuing/badges') ? 'page' : undefined}>
        Issued badges
      </a>
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
  return (
    <div class="notice notice-ok" role="status">
      {children}
    </div>
  );
}
