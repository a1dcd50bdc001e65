import type { JSX } from 'preact';
import type { RenewalStanding } from '../issuing/renewals.service.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { DateText } from './badge-parts.tsx';

/**
 * A badge's place in its renewal chain and, while its renewal window is open, the request to renew it. The old
 * badge stays in the backpack, marked renewed: it was never wrong, only followed by a newer one.
 */
export function RenewalPart(props: {
  ctx: PageContext;
  badgeId: string;
  standing: RenewalStanding | undefined;
  named: JSX.Element;
}) {
  const { ctx, badgeId, standing, named } = props;
  if (!standing) return null;
  const { chain, renewedBy, renews, canAskToRenew, opensOn } = standing;
  const newer = chain.find((link) => link.credentialId === renewedBy);
  const older = chain.find((link) => link.credentialId === renews);
  if (!newer && !older && !canAskToRenew && !opensOn) return null;
  return (
    <section aria-labelledby={`renewal-${badgeId}`} class="backpack-renewal">
      <h3 id={`renewal-${badgeId}`}>Renewal{named}</h3>
      {older ? (
        <p>
          Renews your badge issued on <DateText date={older.issuedAt} />:{' '}
          <a href={`/backpack#badge-${older.credentialId}`}>see the earlier badge{named}</a>
        </p>
      ) : null}
      {newer ? (
        <p>
          Renewed on <DateText date={newer.issuedAt} />:{' '}
          <a href={`/backpack#badge-${newer.credentialId}`}>see the renewed badge{named}</a>
        </p>
      ) : null}
      {chain.length > 2 ? (
        <p class="muted">
          This badge is one of {chain.length} in a chain of renewals, the first issued on{' '}
          <DateText date={chain[0]!.issuedAt} />.
        </p>
      ) : null}
      {canAskToRenew ? (
        <form method="post" action={`/backpack/${badgeId}/renew`}>
          <CsrfField token={ctx.csrfToken} />
          <p>
            Renewing issues a new badge that names this one, once the program’s renewal requirement is met by
            work you have done since this badge was awarded.
          </p>
          <button type="submit">Renew this badge{named}</button>
        </form>
      ) : !renewedBy && opensOn ? (
        <p>
          You can ask to renew this badge from <DateText date={opensOn} />.
        </p>
      ) : null}
    </section>
  );
}
