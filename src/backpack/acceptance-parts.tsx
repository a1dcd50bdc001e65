import type { JSX } from 'preact';
import { CsrfField } from '../platform/http/forms.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { BackpackBadge } from './backpack.service.ts';

/** The words for the learner's answer, the same on the backpack and on staff pages. */
export const acceptanceLabels = {
  pending: 'Waiting for your answer',
  accepted: 'Accepted',
  declined: 'Declined',
} as const;

/**
 * Accept or decline, on a badge's card. Until the learner accepts, the public page tells everyone else only that
 * the badge is not shared; the credential file verifies either way.
 */
export function AcceptanceChoice(props: { ctx: PageContext; badge: BackpackBadge; named: JSX.Element }) {
  const { ctx, badge, named } = props;
  const accept = (label: string) => (
    <form method="post" action={`/backpack/${badge.id}/accept`} class="inline-form">
      <CsrfField token={ctx.csrfToken} />
      <button type="submit">
        {label}
        {named}
      </button>
    </form>
  );
  const decline = (
    <form method="post" action={`/backpack/${badge.id}/decline`} class="inline-form">
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button-secondary">
        Decline{named}
      </button>
    </form>
  );
  if (badge.acceptance === 'accepted') return null;
  return (
    <Notice kind="info" as="section" aria-label={`Your answer about ${badge.name}`}>
      {badge.acceptance === 'pending' ? (
        <p>
          {badge.isClaimed
            ? 'This badge is private until you accept it.'
            : 'This badge was sent to one of your addresses and is waiting for you. It stays private until you accept it.'}{' '}
          Nobody else sees its page or your name before then.
        </p>
      ) : (
        <p>You declined this badge, so it is shared nowhere. You can still accept it.</p>
      )}
      <div class="actions">
        {accept('Accept')} {badge.acceptance === 'pending' ? decline : null}
      </div>
    </Notice>
  );
}

/** For an accepted badge: the way back to private. */
export function DeclineLater(props: { ctx: PageContext; badge: BackpackBadge; named: JSX.Element }) {
  const { ctx, badge, named } = props;
  if (badge.acceptance !== 'accepted') return null;
  return (
    <form method="post" action={`/backpack/${badge.id}/decline`}>
      <CsrfField token={ctx.csrfToken} />
      <p>Declining takes the badge off your profile and makes its page private again.</p>
      <button type="submit" class="button-secondary button-small">
        Decline this badge{named}
      </button>
    </form>
  );
}
