import { revocationCategoryLabels } from '../backpack/badge-view.ts';
import { feeStatusLabels } from '../billing/fee-status.ts';
import type { StatusChange } from '../credentials/credential-status.ts';
import { revocationCategories } from '../credentials/status-names.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { FilterSearch, FilterSelect, Pager } from '../platform/http/filters.tsx';
import { CsrfField, ErrorSummary, SelectField, TextAreaField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import { awardStatusLabels, awardStatusOf } from '../progress/award-status.ts';
import type { IssuedBadgeRow } from './issued-badges.repository.ts';
import { type IssuedBadgesService, registerStatuses } from './issued-badges.service.ts';
import type { AwardSource } from './issuing.tables.ts';
import { DoneNotice, formatDay, formatMoment, IssuingNav } from './issuing-parts.tsx';
import { creditModeLabels, officeLabels } from './offices.ts';

type Register = Awaited<ReturnType<IssuedBadgesService['register']>>;

/** The badge's status in the words the learner's home, progress and backpack use (one rule: awardStatusOf). */
function StatusTag({ badge }: { badge: Pick<IssuedBadgeRow, 'status' | 'claimedAt'> }) {
  const status = awardStatusOf({ credential: { status: badge.status, isClaimed: badge.claimedAt !== null } });
  const isStanding = status === 'issued' || status === 'claimed';
  return <span class={isStanding ? 'tag' : 'tag tag-accent'}>{awardStatusLabels[status]}</span>;
}

/**
 * When the badge was claimed and into whose account. A claim into an account under another address than the
 * badge went to (possible before claim links were bound to their recipient) is pointed out.
 */
/** Whether the learner accepted the badge (only then is it shared), as staff read it. */
function acceptanceWords(acceptance: IssuedBadgeRow['acceptance']): string {
  if (acceptance === 'accepted') return 'Accepted';
  if (acceptance === 'declined') return 'Declined';
  return acceptance === 'pending' ? 'Pending' : 'No backpack record';
}

function ClaimFacts({ badge }: { badge: IssuedBadgeRow }) {
  if (!badge.claimedAt) return <>Not yet claimed</>;
  const who = badge.claimedByName ? ` by ${badge.claimedByName} (${badge.claimedByEmail})` : '';
  const elsewhere =
    badge.claimedByEmail &&
    badge.sentTo &&
    badge.claimedByEmail.trim().toLowerCase() !== badge.sentTo.trim().toLowerCase();
  return (
    <>
      {formatMoment(badge.claimedAt)}
      {who}
      {elsewhere ? (
        <Notice kind="warn">
          <p>The badge was sent to {badge.sentTo}, not to the address of the account that claimed it.</p>
        </Notice>
      ) : null}
    </>
  );
}

function pageLink(filter: Register['filter'], page: number): string {
  const query = new URLSearchParams();
  if (filter.search) query.set('search', filter.search);
  if (filter.program) query.set('program', filter.program);
  if (filter.status) query.set('status', filter.status);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/issuing/badges?${text}` : '/issuing/badges';
}

/** `/issuing/badges`: every badge the person's offices issued, searchable, newest first. */
export function IssuedBadgesPage({ ctx, register }: { ctx: PageContext; register: Register }) {
  const { rows, filter, total, page, pages } = register;
  return (
    <Layout ctx={ctx} title="Issued badges">
      <IssuingNav ctx={ctx} />
      <h1>Issued badges</h1>
      <p>
        Every badge your office issued. Open one to see its record, or to suspend, reinstate or revoke it; the
        learner is told by e-mail when a badge is revoked.
      </p>
      <form method="get" action="/issuing/badges" class="filters" aria-label="Find issued badges">
        <FilterSearch name="search" label="Learner, e-mail, student ID or badge ID" value={filter.search} />
        <FilterSelect
          name="program"
          label="Program"
          any="Any"
          options={register.programs.map((p) => ({ value: p.slug, label: p.title }))}
          value={filter.program}
        />
        <FilterSelect
          name="status"
          label="Status"
          any="Any"
          options={registerStatuses.map((s) => ({ value: s, label: awardStatusLabels[s] }))}
          value={filter.status}
        />
        <div>
          <button type="submit">Find</button>
        </div>
      </form>
      <p role="status">
        {total === 0
          ? 'No issued badge matches.'
          : total === 1
            ? 'One badge.'
            : `${total} badges${pages > 1 ? `, page ${page} of ${pages}` : ''}.`}
      </p>
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Issued badges, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Program</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col">Claimed</th>
                <th scope="col">Learner’s answer</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.credentialId}>
                  <th scope="row">
                    <a href={`/issuing/badges/${row.credentialId}`}>{row.learnerName}</a>
                    <div class="muted">{row.studentId}</div>
                  </th>
                  <td>
                    {row.programTitle}
                    <div class="muted">{creditModeLabels[row.creditMode]}</div>
                  </td>
                  <td>{formatDay(row.issuedAt)}</td>
                  <td>
                    {row.validUntil ? formatDay(row.validUntil) : 'Does not expire'}
                    {row.renewedAt ? <div class="muted">Renewed {formatDay(row.renewedAt)}</div> : null}
                  </td>
                  <td>{row.claimedAt ? formatDay(row.claimedAt) : 'Not yet'}</td>
                  <td>{acceptanceWords(row.acceptance)}</td>
                  <td>
                    <StatusTag badge={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager
        label="Pages of issued badges"
        page={page}
        pages={pages}
        href={(to) => pageLink(filter, to)}
        previous="Newer badges"
        next="Older badges"
      />
    </Layout>
  );
}

/** How an award came to be, as the record says it. */
const sourceWords: Record<AwardSource, string> = {
  badge_request: 'an approved badge request',
  tracking_list: 'a tracking list',
  renewal: 'the renewal of an earlier badge',
};

export interface BadgeRecordProps {
  ctx: PageContext;
  badge: IssuedBadgeRow & {
    allowedChanges: readonly StatusChange[];
    /** Why this person changes no status here (the badge is their own), if so. */
    ownBadgeRefusal?: string | undefined;
    isSuspensionOff?: boolean;
    isExpired?: boolean;
    renews?: { credentialId: string; issuedAt: Date } | null;
    renewedBy?: { credentialId: string; issuedAt: Date } | null;
  };
  /** The status change just made, for the notice at the top. */
  changed?: string;
  /** A refused change: which form, what was typed and why it was refused. */
  refused?: { change: string; reason: string; category: string; errors: FieldProblem[] };
  /** A change that could not be made in the badge's present status. */
  problem?: string;
}

const changedNotices: Record<string, string> = {
  revoke: 'The badge is revoked. Verifiers now see it as revoked, and the learner was sent an e-mail.',
  suspend:
    'The badge is suspended. This site’s verifier and the badge’s public page show it as suspended until it is reinstated.',
  reinstate: 'The badge is active again.',
  renewed: 'The badge is renewed: this is the new badge, and the learner was sent its claim e-mail.',
};

/** `/issuing/badges/<id>`: one badge's record, with the forms that change its status. */
export function BadgeRecordPage({ ctx, badge, changed, refused, problem }: BadgeRecordProps) {
  const errorsFor = (change: string) => (refused?.change === change ? refused.errors : []);
  const typedFor = (change: string) => (refused?.change === change ? refused : undefined);
  return (
    <Layout ctx={ctx} title={`${badge.programTitle} badge of ${badge.learnerName}`}>
      <IssuingNav ctx={ctx} />
      <p>
        <a href="/issuing/badges">Back to issued badges</a>
      </p>
      <h1>
        {badge.programTitle} <span class="muted">· {badge.learnerName}</span>
      </h1>
      {problem ? (
        <Notice kind="bad">
          <p>{problem}</p>
        </Notice>
      ) : null}
      {changed && changedNotices[changed] ? (
        <DoneNotice>
          <p>{changedNotices[changed]}</p>
        </DoneNotice>
      ) : null}
      <dl class="facts">
        <dt>Learner</dt>
        <dd>
          {badge.learnerName} ({badge.studentId}), {badge.learnerEmail}
        </dd>
        <dt>Program</dt>
        <dd>
          {badge.programTitle} ({creditModeLabels[badge.creditMode].toLowerCase()}
          {badge.term ? `, ${badge.term}` : ''})
        </dd>
        <dt>Issued</dt>
        <dd>
          {formatMoment(badge.issuedAt)} by the {officeLabels[badge.office].toLowerCase()}
          {badge.issuedByName ? ` (${badge.issuedByName})` : ''}, from {sourceWords[badge.source]}
        </dd>
        <dt>{badge.isExpired ? 'Expired' : 'Expires'}</dt>
        <dd>{badge.validUntil ? formatMoment(badge.validUntil) : 'Never'}</dd>
        {badge.renews ? (
          <>
            <dt>Renews</dt>
            <dd>
              <a href={`/issuing/badges/${badge.renews.credentialId}`}>
                The badge issued on {formatDay(badge.renews.issuedAt)}
              </a>
            </dd>
          </>
        ) : null}
        {badge.renewedBy ? (
          <>
            <dt>Renewed</dt>
            <dd>
              <a href={`/issuing/badges/${badge.renewedBy.credentialId}`}>
                On {formatDay(badge.renewedBy.issuedAt)}, by a new badge
              </a>{' '}
              (this one stays valid until it expires)
            </dd>
          </>
        ) : null}
        <dt>Claimed</dt>
        <dd>
          <ClaimFacts badge={badge} />
        </dd>
        <dt>Learner’s answer</dt>
        <dd>{acceptanceWords(badge.acceptance)}</dd>
        <dt>Status</dt>
        <dd>
          <StatusTag badge={badge} />
          {badge.statusChangedAt ? ` since ${formatMoment(badge.statusChangedAt)}` : ''}
          {badge.statusReason ? <div>Reason: {badge.statusReason}</div> : null}
          {badge.revocationCategory ? (
            <div class="muted">Shown publicly as: {revocationCategoryLabels[badge.revocationCategory]}</div>
          ) : null}
        </dd>
        <dt>Fee</dt>
        <dd>
          {badge.feeChargeId && badge.feeStatus ? (
            <a href={`/billing/charges/${badge.feeChargeId}`}>
              {formatCents(badge.feeCents ?? 0)}, {feeStatusLabels[badge.feeStatus].toLowerCase()}
            </a>
          ) : (
            'No fee'
          )}
        </dd>
        <dt>Links</dt>
        <dd>
          <a href={`/badges/${badge.credentialId}`}>Public badge page</a> ·{' '}
          <a href={`/verify?credential=${badge.credentialId}`}>Verify</a> ·{' '}
          <a href={`/credentials/${badge.credentialId}`}>Credential (JSON)</a>
        </dd>
      </dl>

      {badge.status === 'revoked' ? (
        <p>
          Revocation is permanent: a revoked badge cannot be reinstated. If the learner should still hold it,
          issue a new badge: a revoked one no longer counts, so the learner can be issued again from a badge
          request or a tracking list.
        </p>
      ) : null}
      {badge.status === 'active' && badge.validUntil && !badge.renewedAt ? (
        <section aria-labelledby="renew-heading">
          <h2 id="renew-heading">Renew for the learner</h2>
          <form method="post" action={`/issuing/badges/${badge.credentialId}/renew`}>
            <CsrfField token={ctx.csrfToken} />
            <p>
              Issues a new badge that names this one, if the program’s renewal requirement is met by work the
              learner did since this badge was issued. This badge is kept, marked renewed.
            </p>
            <button type="submit" class="button-secondary">
              Renew this badge
            </button>
          </form>
        </section>
      ) : null}
      {badge.status === 'active' && badge.isSuspensionOff ? (
        <p class="muted">
          Suspending badges is turned off for this institution, so this badge can be revoked but not
          suspended. An administrator can turn suspension on in the institution profile.
        </p>
      ) : null}
      {badge.ownBadgeRefusal ? <p class="muted">{badge.ownBadgeRefusal}</p> : null}
      {/* The forms are those the status policy allows this person now; the API asks the same policy. */}
      {statusChanges
        .filter(({ change }) => badge.allowedChanges.includes(change))
        .map(({ change, title, explain, button }) => (
          <StatusForm
            key={change}
            ctx={ctx}
            badge={badge}
            change={change}
            title={title}
            explain={explain}
            button={button}
            errors={errorsFor(change)}
            reason={typedFor(change)?.reason}
            category={change === 'revoke' ? typedFor('revoke')?.category : undefined}
          />
        ))}
    </Layout>
  );
}

/** The status forms, in the order the page offers them; each shows only when the status policy allows it. */
const statusChanges: {
  change: 'revoke' | 'suspend' | 'reinstate';
  title: string;
  explain: string;
  button: string;
}[] = [
  {
    change: 'reinstate',
    title: 'Reinstate this badge',
    explain: 'The badge verifies as active again. The reason goes into the audit log.',
    button: 'Reinstate the badge',
  },
  {
    change: 'suspend',
    title: 'Suspend this badge',
    explain:
      'While suspended, this site’s verifier and the badge’s public page say it is suspended (other verifiers, which read only the badge’s revocation entry, do not); you can reinstate it later, for example once an inquiry is closed.',
    button: 'Suspend the badge',
  },
  {
    change: 'revoke',
    title: 'Revoke this badge',
    explain:
      'Revocation is permanent. Verifiers are told the badge was revoked, its public page says so with the category you choose (never the reason), and the learner gets an e-mail with the reason.',
    button: 'Revoke the badge',
  },
];

function StatusForm(props: {
  ctx: PageContext;
  badge: IssuedBadgeRow;
  change: 'revoke' | 'suspend' | 'reinstate';
  title: string;
  explain: string;
  button: string;
  errors: FieldProblem[];
  reason?: string;
  category?: string;
}) {
  const id = `${props.change}-title`;
  // Field ids carry the form's name, since up to two of these forms share the page.
  const errors = props.errors.map((e) => ({ ...e, field: `${props.change}-${e.field}` }));
  const labels = {
    'revoke-category': 'Category shown on the public page',
    [`${props.change}-reason`]: 'Reason',
  };
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      <p>{props.explain}</p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={`/issuing/badges/${props.badge.credentialId}/status`} class="stack">
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="change" value={props.change} />
        {props.change === 'revoke' ? (
          <SelectField
            name="revoke-category"
            label={labels['revoke-category']}
            placeholder="Choose one"
            required
            value={props.category}
            errors={errors}
            options={revocationCategories.map((c) => ({ value: c, label: revocationCategoryLabels[c] }))}
          />
        ) : null}
        <TextAreaField
          name={`${props.change}-reason`}
          label="Reason"
          hint={
            props.change === 'revoke'
              ? 'Sent to the learner and kept in the audit log; not shown publicly.'
              : 'Kept in the audit log.'
          }
          required
          maxLength={500}
          value={props.reason}
          errors={errors}
        />
        <div>
          <button type="submit" class={props.change === 'revoke' ? 'button-danger' : undefined}>
            {props.button}
          </button>
        </div>
      </form>
    </section>
  );
}
