import { currentDisplay } from '../platform/display.ts';
import { formatDate, formatDay } from '../platform/http/moment.ts';
import { CheckList } from '../verification/check-list.tsx';
import type { VerificationReport } from '../verification/verification.service.ts';
import { type BadgeFacts, revocationCategoryLabels } from './badge-view.ts';

/**
 * The day a moment falls on in the institution's time zone, as people read it ("March 4, 2026"), machine-readable
 * in its `datetime`; the words are the platform's one day format.
 */
export function DateText({ date }: { date: Date }) {
  const { timeZone } = currentDisplay();
  return <time datetime={formatDate(date, timeZone)}>{formatDay(date)}</time>;
}

/**
 * The expiry line of a badge's facts, said truthfully: "Expires" before the day, "Expired" after it, "Never" for a
 * badge without validUntil. An expired badge is still genuine; it is simply no longer current.
 */
export function ExpiryFact({ badge }: { badge: Pick<BadgeFacts, 'expiresAt' | 'isExpired'> }) {
  return (
    <>
      <dt>{badge.isExpired ? 'Expired' : 'Expires'}</dt>
      <dd>{badge.expiresAt ? <DateText date={badge.expiresAt} /> : 'Never'}</dd>
    </>
  );
}

/** The badge's standing in words; revoked and suspended badges say when and (if given) why. */
export function StandingNotice({ badge }: { badge: BadgeFacts }) {
  if (badge.status === 'active') return null;
  const category = badge.revocationCategory ? revocationCategoryLabels[badge.revocationCategory] : null;
  const revoked = badge.status === 'revoked';
  return (
    <div class={`notice ${revoked ? 'notice-bad' : 'notice-warn'}`} role="status">
      <h2>{revoked ? 'This badge has been revoked' : 'This badge is suspended'}</h2>
      <p>
        {badge.issuerName} {revoked ? 'revoked' : 'suspended'} this badge
        {badge.statusChangedAt ? (
          <>
            {' '}
            on <DateText date={badge.statusChangedAt} />
          </>
        ) : null}
        . It is {revoked ? 'no longer' : 'not at present'} a valid record of the achievement.
      </p>
      {revoked && category ? <p>Reason: {category}.</p> : null}
    </div>
  );
}

/** A read-only field with the public address; a small script adds a copy button where JavaScript runs. */
export function ShareLinkField({ id, url, label }: { id: string; url: string; label: string }) {
  return (
    <div class="share-link">
      <label for={id}>{label}</label>
      <input id={id} type="text" value={url} readOnly data-copy-field="" />
    </div>
  );
}

/** The live verification result: a headline and the checks behind it. */
export function VerificationSummary({ report, badgeId }: { report: VerificationReport; badgeId: string }) {
  return (
    <section aria-labelledby="verification-heading" class="verify-result">
      <h2 id="verification-heading">Verification</h2>
      <div class={`notice ${report.verified ? 'notice-ok' : 'notice-bad'}`} role="status">
        <p>
          <strong>{report.verified ? 'Verified.' : 'Not verified.'}</strong> {report.issuerTrust.message}{' '}
          {report.verified
            ? 'Checked just now: the signature is genuine, the badge is unchanged and in good standing.'
            : 'Checked just now: the badge did not pass every check (see below).'}
        </p>
      </div>
      <CheckList checks={report.checks} />
      <p>
        <a href={`/verify?credential=${encodeURIComponent(badgeId)}`}>Verify this badge</a> on the
        verification page, or give the badge file there.
      </p>
    </section>
  );
}
