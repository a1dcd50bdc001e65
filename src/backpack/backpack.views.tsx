import type { JSX } from 'preact';
import type { RenewalStanding } from '../issuing/renewals.service.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { awardStatusLabels, awardStatusOf } from '../progress/award-status.ts';
import { AcceptanceChoice, acceptanceLabels, DeclineLater } from './acceptance-parts.tsx';
import type { BackpackBadge } from './backpack.service.ts';
import { DateText, ExpiryFact, ShareLinkField, StandingNotice } from './badge-parts.tsx';
import type { ImportedBadgeListing } from './imported-badges.repository.ts';
import { ImportedBadgesSection } from './imported-badges.views.tsx';
import { RenewalPart } from './renewal-parts.tsx';

const downloads = [
  ['baked.png', 'Badge image (PNG)', 'the image with the credential inside, for portfolios and upload sites'],
  ['baked.svg', 'Badge image (SVG)', 'the same as a scalable image'],
  ['credential.json', 'Credential (JSON-LD)', 'the signed Open Badges 3.0 credential'],
  ['credential.jwt', 'Credential (VC-JWT)', 'the same credential as a JSON Web Token'],
] as const;

/** The signed-in learner's badges, with downloads, sharing and privacy choices for each. */
export function BackpackPage(props: {
  ctx: PageContext;
  badges: BackpackBadge[];
  imported?: readonly ImportedBadgeListing[];
  notice?: string;
  /** Why the last request (a renewal) was refused, with the fields it names. */
  problem?: { message: string; reasons: string[] };
  /** Each badge's renewal chain and window, by credential id. */
  renewals?: ReadonlyMap<string, RenewalStanding>;
}) {
  const { ctx, badges } = props;
  return (
    <Layout ctx={ctx} title="My backpack" head={<script src="/backpack/copy-link.js" defer />}>
      <h1>My backpack</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      {props.problem ? (
        <Notice kind="bad">
          <p>{props.problem.message}</p>
          {props.problem.reasons.length > 0 ? (
            <ul>
              {props.problem.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <p>
        Your digital badges from {ctx.institutionName}. Each one is a signed Open Badges 3.0 credential:
        download it, add it to LinkedIn, or send the link to its public page, where anyone can check that it
        is genuine.
      </p>
      {badges.length === 0 ? (
        <Notice kind="info">
          <p>
            No badges yet. When you earn a micro-credential, we e-mail you a link to claim its badge, and it
            appears here. <a href="/catalog">Browse the catalog</a>.
          </p>
        </Notice>
      ) : (
        <ul class="backpack-list">
          {badges.map((badge) => (
            <li key={badge.id}>
              <BadgeCard ctx={ctx} badge={badge} renewal={props.renewals?.get(badge.id)} />
            </li>
          ))}
        </ul>
      )}
      <ImportedBadgesSection imported={props.imported ?? []} />
    </Layout>
  );
}

function BadgeCard({
  ctx,
  badge,
  renewal,
}: {
  ctx: PageContext;
  badge: BackpackBadge;
  renewal: RenewalStanding | undefined;
}) {
  const heading = `badge-${badge.id}`;
  const canShare = badge.status === 'active';
  // The same status, in the same words, as the progress and staff pages (a revoked badge is not "claimed").
  const status = awardStatusOf({ credential: { status: badge.status, isClaimed: badge.isClaimed } });
  const named = <span class="visually-hidden"> ({badge.name})</span>;
  return (
    <article class="backpack-badge" aria-labelledby={heading}>
      <div class="backpack-badge-head">
        <img src={badge.imagePath} alt="" width={120} height={120} />
        <div>
          <h2 id={heading} class="backpack-badge-title">
            {badge.name}
          </h2>
          <p class="tags">
            <span class="tag">
              {awardStatusLabels[status]}
              {status === 'claimed' && badge.claimedAt ? (
                <>
                  {' '}
                  on <DateText date={badge.claimedAt} />
                </>
              ) : null}
            </span>
            {badge.acceptance === 'accepted' ? (
              <span class="tag">{badge.isPublic ? 'Public page shown' : 'Public page hidden'}</span>
            ) : (
              <span class="tag">{acceptanceLabels[badge.acceptance]}: private</span>
            )}
          </p>
          <dl class="facts">
            <dt>Issued by</dt>
            <dd>{badge.issuerName}</dd>
            <dt>Issued on</dt>
            <dd>
              <DateText date={badge.issuedAt} />
            </dd>
            <ExpiryFact badge={badge} />
          </dl>
        </div>
      </div>
      <StandingNotice badge={badge} />
      <RenewalPart ctx={ctx} badgeId={badge.id} standing={renewal} named={named} />
      {/* Accept or decline (issue 19): acceptance-parts.tsx. */}
      <AcceptanceChoice ctx={ctx} badge={badge} named={named} />
      <h3>Download</h3>
      <ul class="backpack-downloads">
        {downloads
          // Only a badge issued with a VC-JWT has one: the link would answer 404 otherwise.
          .filter(([file]) => file !== 'credential.jwt' || badge.hasJwt)
          .map(([file, label, hint]) => (
            <li key={file}>
              <a href={`/backpack/${badge.id}/${file}`} download>
                {label}
                {named}
              </a>{' '}
              <span class="muted">— {hint}</span>
            </li>
          ))}
        {canShare ? (
          <li>
            <a href={`/badges/${badge.id}/certificate.pdf`} download>
              Printable certificate (PDF){named}
            </a>{' '}
            <span class="muted">— one page with a QR code that links to the badge</span>
          </li>
        ) : null}
      </ul>
      {canShare ? (
        <p>
          <a href={`/backpack/${badge.id}/wallet`}>Add to a wallet{named}</a>{' '}
          <span class="muted">— a standards wallet app, such as the Learner Credential Wallet</span>
        </p>
      ) : null}
      {canShare && badge.acceptance === 'accepted' ? <ShareTools badge={badge} named={named} /> : null}
      <h3>Privacy</h3>
      <div class="backpack-privacy">
        <form method="post" action={`/backpack/${badge.id}/visibility`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="public" value={badge.isPublic ? 'false' : 'true'} />
          <p>
            {badge.isPublic
              ? 'The public page and public downloads are open to anyone with the link.'
              : 'The public page is hidden: anyone but you is told it does not exist.'}
          </p>
          <button type="submit" class="button-secondary button-small">
            {badge.isPublic ? 'Hide the public page' : 'Show the public page'}
            {named}
          </button>
        </form>
        <form method="post" action={`/backpack/${badge.id}/name`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="show" value={badge.showName ? 'false' : 'true'} />
          <p>
            {badge.showName
              ? 'Your name is shown on the public page and when the badge is verified.'
              : 'Your name is left off the public page and off verification results.'}
          </p>
          <button type="submit" class="button-secondary button-small">
            {badge.showName ? 'Hide my name' : 'Show my name'}
            {named}
          </button>
        </form>
        <DeclineLater ctx={ctx} badge={badge} named={named} />
      </div>
    </article>
  );
}

function ShareTools({ badge, named }: { badge: BackpackBadge; named: JSX.Element }) {
  if (!badge.isPublic) {
    return (
      <>
        <h3>Share</h3>
        <p>Show the public page again (below) to share this badge.</p>
      </>
    );
  }
  return (
    <>
      <h3>Share</h3>
      <div class="backpack-share">
        <div>
          <p>
            <a class="button" href={badge.linkedInUrl} rel="noopener">
              Add to LinkedIn{named}
            </a>
          </p>
          <ShareLinkField
            id={`share-${badge.id}`}
            url={badge.pageUrl}
            label={`Public link to ${badge.name}`}
          />
          <p>
            <a href={`/badges/${badge.id}`}>Open the public page{named}</a>
          </p>
        </div>
        {badge.qrSvg ? (
          <figure class="backpack-qr">
            {/* Our own QR renderer's SVG, carrying its own title for screen readers. */}
            <div dangerouslySetInnerHTML={{ __html: badge.qrSvg }} />
            <figcaption>Scan to open the public page</figcaption>
          </figure>
        ) : null}
      </div>
    </>
  );
}
