import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { PublicBadge } from './backpack.service.ts';
import { DateText, ExpiryFact, ShareLinkField, StandingNotice, VerificationSummary } from './badge-parts.tsx';
import { shareLinks } from './share-links.ts';

/** Open Graph and Twitter card tags, so a shared link shows the badge's artwork and name. */
function SocialMeta({ badge, ctx }: { badge: PublicBadge; ctx: PageContext }) {
  const standing =
    badge.status === 'revoked' ? ' (revoked)' : badge.status === 'suspended' ? ' (suspended)' : '';
  const title = `${badge.earnerName ? `${badge.earnerName} earned ${badge.name}` : badge.name}${standing}`;
  const description = `${badge.description} A digital badge issued by ${badge.issuerName}.`.trim();
  return (
    <>
      <link rel="canonical" href={badge.pageUrl} />
      {badge.isPublic && badge.acceptance === 'accepted' ? null : <meta name="robots" content="noindex" />}
      <meta property="og:type" content="website" />
      <meta property="og:site_name" content={`${ctx.institutionName} Micro-credentials`} />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:image" content={badge.imageUrl} />
      <meta property="og:image:alt" content={badge.imageCaption} />
      <meta property="og:url" content={badge.pageUrl} />
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={badge.imageUrl} />
      <script src="/backpack/copy-link.js" defer />
    </>
  );
}

/** The public page of one badge: what it is, who earned it, a live verification, and ways to share it. */
export function PublicBadgePage({ ctx, badge }: { ctx: PageContext; badge: PublicBadge }) {
  const inGoodStanding = badge.status === 'active';
  return (
    <Layout
      ctx={ctx}
      title={badge.name}
      description={badge.description}
      head={<SocialMeta badge={badge} ctx={ctx} />}
    >
      {badge.isOwner ? (
        <Notice kind="info">
          <p>
            {badge.acceptance !== 'accepted'
              ? 'Only you can see this page: until you accept the badge, everyone else is told it is not shared.'
              : badge.isPublic
                ? 'This is your badge’s public page, as anyone with the link sees it.'
                : 'Only you can see this page: you have hidden it, so everyone else is told it does not exist.'}{' '}
            <a href="/backpack">Back to my backpack</a>
          </p>
        </Notice>
      ) : null}
      <div class="badge-hero">
        <img src={badge.imagePath} alt={badge.imageCaption} width={200} height={200} />
        <div>
          <p class="muted badge-kicker">Digital badge · Open Badges 3.0</p>
          <h1>{badge.name}</h1>
          {badge.description ? <p>{badge.description}</p> : null}
          <dl class="facts">
            {badge.earnerName ? (
              <>
                <dt>Earned by</dt>
                <dd>{badge.earnerName}</dd>
              </>
            ) : null}
            <dt>Issued by</dt>
            <dd>{badge.issuerUrl ? <a href={badge.issuerUrl}>{badge.issuerName}</a> : badge.issuerName}</dd>
            <dt>Issued on</dt>
            <dd>
              <DateText date={badge.issuedAt} />
            </dd>
            <ExpiryFact badge={badge} />
          </dl>
        </div>
      </div>
      <StandingNotice badge={badge} />
      {inGoodStanding ? (
        <p>
          <a href={`/badges/${badge.id}/certificate.pdf`}>Download a printable certificate (PDF)</a>
        </p>
      ) : null}
      <VerificationSummary report={badge.verification} badgeId={badge.id} />
      {badge.skills.length > 0 ? (
        <section aria-labelledby="skills-heading">
          <h2 id="skills-heading">Skills</h2>
          <ul class="tags badge-skills">
            {badge.skills.map((skill) => (
              <li key={skill.name} class="tag">
                {skill.name}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="criteria-heading">
        <h2 id="criteria-heading">What it took</h2>
        {badge.criteria.length > 0 ? (
          <ul>
            {badge.criteria.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          <p>The criteria are described on the program’s page.</p>
        )}
        {badge.criteriaUrl?.startsWith('http') ? (
          <p>
            <a href={badge.criteriaUrl}>About the {badge.name} program</a>
          </p>
        ) : null}
      </section>
      {inGoodStanding && badge.isPublic && badge.acceptance === 'accepted' ? (
        <section aria-labelledby="share-heading" class="badge-share">
          <h2 id="share-heading">Share this badge</h2>
          <ShareLinkField id="share-link" url={badge.pageUrl} label="Link to this page" />
          <p class="button-row">
            {shareLinks(badge.pageUrl, badge.name).map((link) => (
              <a key={link.label} class="button button-secondary" href={link.href} rel="noopener">
                Share {link.label === 'E-mail' ? 'by e-mail' : `on ${link.label}`}
              </a>
            ))}
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
