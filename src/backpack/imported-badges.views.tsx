import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { CheckList } from '../verification/check-list.tsx';
import { DateText } from './badge-parts.tsx';
import { heldUp } from './imported-badge.ts';
import type { ImportedBadgeListing } from './imported-badges.repository.ts';

type ImportedBadge = ImportedBadgeListing;

/** Who the badge says issued it, and who really signed it: the badge's own claim is never shown as ours. */
function IssuerLine({ badge }: { badge: ImportedBadge }) {
  return (
    <p class="imported-issuer">
      {badge.claimedIssuerName ? <>Says it is from {badge.claimedIssuerName}. </> : null}
      {badge.trustMessage}
    </p>
  );
}

function Standing({ badge }: { badge: ImportedBadge }) {
  const holds = heldUp(badge.checks);
  return (
    <p class={holds ? 'imported-standing' : 'imported-standing notice-bad'}>
      {holds ? 'Held up when last checked' : 'Did not hold up when last checked'} (
      <DateText date={badge.checkedAt} />)
      {badge.recipientConfirmed
        ? '; issued to one of your e-mail addresses.'
        : '; its recipient could not be matched to your e-mail addresses.'}
    </p>
  );
}

/** The backpack's section for badges from other issuers, below the institution's own. */
export function ImportedBadgesSection({ imported }: { imported: readonly ImportedBadge[] }) {
  return (
    <section aria-labelledby="imported-heading" class="imported-badges">
      <h2 id="imported-heading">From other issuers</h2>
      <p>
        Badges you earned elsewhere, kept here beside ours. Each was checked when you added it; the issuer's
        name is what the badge says about itself.
      </p>
      {imported.length > 0 ? (
        <ul class="backpack-list">
          {imported.map((badge) => (
            <li key={badge.id}>
              <article class="card" aria-labelledby={`imported-${badge.id}`}>
                <h3 id={`imported-${badge.id}`}>{badge.title}</h3>
                <p>
                  <span class="tag">From another issuer</span>
                </p>
                <IssuerLine badge={badge} />
                {badge.issuedOn ? <p>Issued {formatDay(badge.issuedOn)}.</p> : null}
                <Standing badge={badge} />
                <p>
                  <a href={`/backpack/imported/${badge.id}`}>
                    Details and checks<span class="visually-hidden"> for {badge.title}</span>
                  </a>
                </p>
              </article>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/backpack/import">Add a badge from another issuer</a>
      </p>
    </section>
  );
}

/** The form to bring a badge in: a file or paste, or the address of a hosted badge. */
export function ImportBadgePage(props: { ctx: PageContext; refusal?: string; url?: string }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Add a badge from another issuer">
      <p>
        <a href="/backpack">Back to my backpack</a>
      </p>
      <h1>Add a badge from another issuer</h1>
      {props.refusal ? (
        <Notice kind="bad">
          <h2>The badge was not added</h2>
          <p>{props.refusal}</p>
        </Notice>
      ) : null}
      <p>
        Open Badges 2.0 and 3.0 badges are accepted. We check each one first, as the verify page does: it must
        hold up and must not be addressed to somebody else. It is kept only in your backpack.
      </p>
      <section aria-labelledby="import-file">
        <h2 id="import-file">A badge file or its text</h2>
        {/* The token travels in the form's body, never in its address (the route reads the form whole: csrf.ts). */}
        <form method="post" action="/backpack/import" enctype="multipart/form-data" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <div>
            <label for="import-badge-file">Badge file</label>
            <span class="hint" id="import-badge-file-hint">
              A badge image (PNG or SVG) with the badge inside it, or a JSON or JWT file. Up to 5 MB.
            </span>
            <input
              id="import-badge-file"
              name="file"
              type="file"
              accept=".png,.svg,.json,.jwt,.txt,image/png,image/svg+xml,application/json"
              aria-describedby="import-badge-file-hint"
            />
          </div>
          <div>
            <label for="import-badge-text">Or paste the badge JSON or VC-JWT</label>
            <textarea id="import-badge-text" name="text" spellcheck={false} rows={4} />
          </div>
          <div>
            <button type="submit">Check and add the badge</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="import-link">
        <h2 id="import-link">A badge published online</h2>
        <form method="post" action="/backpack/import/link" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <div>
            <label for="import-badge-url">Badge address</label>
            <span class="hint" id="import-badge-url-hint">
              The web address of the badge itself (for an Open Badges 2.0 badge, its assertion), starting with
              https://.
            </span>
            <input
              id="import-badge-url"
              name="url"
              type="url"
              required
              value={props.url ?? ''}
              aria-describedby="import-badge-url-hint"
            />
          </div>
          <div>
            <button type="submit">Check and add the badge</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

/** One imported badge: what it says, who signed it, the checks, and what the learner can do with it. */
export function ImportedBadgePage(props: {
  ctx: PageContext;
  badge: ImportedBadge & { source: string };
  notice?: string;
}) {
  const { ctx, badge } = props;
  return (
    <Layout ctx={ctx} title={badge.title}>
      <p>
        <a href="/backpack">Back to my backpack</a>
      </p>
      <h1>{badge.title}</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <p>
        <span class="tag">From another issuer</span>
      </p>
      <IssuerLine badge={badge} />
      {badge.issuedOn ? <p>Issued {formatDay(badge.issuedOn)}.</p> : null}
      <Standing badge={badge} />
      <h2>Checks</h2>
      <CheckList checks={badge.checks} />
      <h2>What you can do</h2>
      <ul class="actions-list">
        <li>
          <a href={`/backpack/imported/${badge.id}/download`}>Download the badge as you added it</a>
        </li>
      </ul>
      <div class="button-row">
        <form method="post" action={`/backpack/imported/${badge.id}/check`} class="inline-form">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit">Check it again</button>
        </form>
        <form method="post" action={`/backpack/imported/${badge.id}/remove`} class="inline-form">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="button-secondary">
            Remove it from my backpack
          </button>
        </form>
      </div>
    </Layout>
  );
}
