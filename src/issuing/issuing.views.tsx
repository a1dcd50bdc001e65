import { feeStatusLabels } from '../billing/fee-status.ts';
import { ExportBatchesTable } from '../platform/http/export-batches.tsx';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import type { AwardView } from './issuing.repository.ts';
import type { IssueOutcome, IssuingService } from './issuing.service.ts';
import { DoneNotice, formatDay, formatMoment, IssuingNav, OfficeSwitch } from './issuing-parts.tsx';
import { creditModeLabels, officeLabels } from './offices.ts';

type Queue = Awaited<ReturnType<IssuingService['queue']>>;
type Exports = Awaited<ReturnType<IssuingService['registrarExports']>>;

/** `/issuing`: approved badge requests waiting for this office, issued one at a time or as a selection. */
export function IssuingQueuePage(props: {
  ctx: PageContext;
  queue: Queue;
  issuedCount?: number;
  outcome?: IssueOutcome;
  problem?: string;
}) {
  const { ctx, queue, outcome } = props;
  const { office, items } = queue;
  const issuedNow = outcome ? outcome.issued.length : (props.issuedCount ?? 0);
  return (
    <Layout ctx={ctx} title="Issue badges">
      <IssuingNav ctx={ctx} />
      <h1>Issue badges</h1>
      <OfficeSwitch path="/issuing" offices={queue.offices} office={office} />
      {issuedNow > 0 ? (
        <DoneNotice>
          <p>
            {issuedNow === 1 ? 'One badge was issued.' : `${issuedNow} badges were issued.`} Each learner gets
            an e-mail to claim the badge, and the program fee was charged to their student account.
          </p>
        </DoneNotice>
      ) : null}
      {props.problem || (outcome && outcome.refused.length > 0) ? (
        <Notice kind="bad">
          <h2>Not everything could be issued</h2>
          {props.problem ? <p>{props.problem}</p> : null}
          {outcome && outcome.refused.length > 0 ? (
            <ul>
              {outcome.refused.map((r) => (
                <li key={r.requestId}>
                  {r.who} {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <p>
        Program leads approve learners' badge requests; the {officeLabels[office].toLowerCase()} issues them
        here. Issuing signs the Open Badges credential, charges the program fee to the learner's student
        account and e-mails the learner a link to claim the badge. Whole cohorts come through{' '}
        <a href="/issuing/tracking-lists">tracking lists</a>.
      </p>

      <h2>Approved, waiting to be issued ({items.length})</h2>
      {items.length === 0 ? (
        <p>No approved request is waiting for the {officeLabels[office].toLowerCase()}.</p>
      ) : (
        // A GET to the summary: issuing itself waits for the "Yes" there.
        <form method="get" action="/issuing/issue/confirm">
          <input type="hidden" name="office" value={office} />
          <div class="table-wrap">
            <table class="issuing-table">
              <caption class="visually-hidden">Approved badge requests, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Select</th>
                  <th scope="col">Learner</th>
                  <th scope="col">Program</th>
                  <th scope="col">Approved</th>
                  <th scope="col">Fee</th>
                  <th scope="col">Issue</th>
                </tr>
              </thead>
              <tbody>
                {items.map(({ request, program, creditMode, sharedWith, canIssue }) => {
                  const checkId = `select-${request.id}`;
                  return (
                    <tr key={request.id}>
                      <td>
                        {canIssue ? (
                          <>
                            <input type="checkbox" id={checkId} name="requestIds" value={request.id} />
                            <label for={checkId} class="visually-hidden">
                              Select {request.learnerName} for {program.title}
                            </label>
                          </>
                        ) : (
                          <span class="muted">Your own: another person issues it</span>
                        )}
                      </td>
                      <th scope="row">
                        {request.learnerName}
                        <div class="muted">{request.studentId}</div>
                      </th>
                      <td>
                        {program.title}
                        <div class="muted">
                          {creditModeLabels[creditMode]}
                          {sharedWith
                            ? ` · also in the ${officeLabels[sharedWith].toLowerCase()}'s queue`
                            : ''}
                        </div>
                      </td>
                      <td>
                        {request.decidedAt ? formatDay(request.decidedAt) : ''}
                        {request.decidedByName ? <div class="muted">by {request.decidedByName}</div> : null}
                      </td>
                      <td>{formatCents(program.feeCents)}</td>
                      <td>
                        {canIssue ? (
                          <button type="submit" name="one" value={request.id} class="button-small">
                            Issue<span class="visually-hidden"> the badge of {request.learnerName}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p>
            <button type="submit">Issue the selected badges</button>
          </p>
        </form>
      )}

      <h2>Recently issued</h2>
      <RecentAwards awards={queue.recent} />
    </Layout>
  );
}

function RecentAwards({ awards }: { awards: AwardView[] }) {
  if (awards.length === 0) return <p>Nothing has been issued by this office yet.</p>;
  return (
    <div class="table-wrap">
      <table class="issuing-table">
        <caption class="visually-hidden">Badges this office issued most recently</caption>
        <thead>
          <tr>
            <th scope="col">Learner</th>
            <th scope="col">Program</th>
            <th scope="col">Issued</th>
            <th scope="col">Fee</th>
          </tr>
        </thead>
        <tbody>
          {awards.map((award) => (
            <tr key={award.id}>
              <th scope="row">
                {award.learnerName}
                <div class="muted">{award.studentId}</div>
              </th>
              <td>
                <a href={`/credentials/${award.credentialId}`}>{award.programTitle}</a>
                <div class="muted">
                  {award.source === 'tracking_list' ? 'From a tracking list' : 'From a badge request'}
                </div>
              </td>
              <td>
                {formatMoment(award.issuedAt)}
                {award.issuedByName ? <div class="muted">by {award.issuedByName}</div> : null}
              </td>
              <td>
                {award.feeChargeId && award.feeStatus ? (
                  <a href={`/billing/charges/${award.feeChargeId}`}>
                    {feeStatusLabels[award.feeStatus]} {formatCents(award.feeCents ?? 0)}
                    <span class="visually-hidden"> for {award.learnerName}</span>
                  </a>
                ) : (
                  'None'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/issuing/exports`: transcript notations for the student system, and earlier exports to download again. */
export function RegistrarExportsPage(props: { ctx: PageContext; exports: Exports }) {
  const { ctx, exports } = props;
  return (
    <Layout ctx={ctx} title="Registrar exports">
      <IssuingNav ctx={ctx} />
      <h1>Registrar exports</h1>
      <p>
        Every credit-bearing badge is noted on the learner's transcript. An export gives the student system
        one row per badge issued since the last export (<code>add</code>), and one per exported badge revoked
        since (<code>withdraw</code>), and marks those rows as sent; the next export starts after them (with
        nothing new, the file holds only its header row).
      </p>
      <p>
        <strong>{exports.pending.additions}</strong> credit-bearing{' '}
        {exports.pending.additions === 1 ? 'badge is' : 'badges are'} waiting to be exported.
        {exports.pending.withdrawals > 0 ? (
          <>
            {' '}
            <strong>{exports.pending.withdrawals}</strong> revoked{' '}
            {exports.pending.withdrawals === 1 ? 'badge is' : 'badges are'} on transcripts already and will be
            withdrawn.
          </>
        ) : null}
      </p>
      <form method="post" action="/issuing/exports/registrar.csv">
        <CsrfField token={ctx.csrfToken} />
        <button type="submit">Export new transcript notations (CSV)</button>
      </form>
      <h2>Earlier exports</h2>
      {exports.batches.length === 0 ? (
        <p>Nothing has been exported yet.</p>
      ) : (
        <ExportBatchesTable
          caption="Earlier registrar exports, newest first"
          batches={exports.batches}
          counts={[
            { heading: 'Added', value: (batch) => batch.row_count },
            { heading: 'Withdrawn', value: (batch) => batch.withdrawal_count },
          ]}
          fileHref={(batch) => `/issuing/exports/registrar/${batch.id}.csv`}
        />
      )}
    </Layout>
  );
}
