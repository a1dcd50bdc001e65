import type { FieldProblem } from '../platform/errors.ts';
import { ExportBatchesTable } from '../platform/http/export-batches.tsx';
import { Figure, Figures } from '../platform/http/figures.tsx';
import { FilterSearch, FilterSelect } from '../platform/http/filters.tsx';
import { CsrfField, ErrorSummary, TextAreaField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay, formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import { countOf } from '../platform/words.ts';
import type { ChargeView, LedgerFilter } from './billing.repository.ts';
import type { BillingService } from './billing.service.ts';
import { feeStatusLabels } from './fee-status.ts';

type Ledger = Awaited<ReturnType<BillingService['ledger']>>;

/** A total of the ledger: its amount, and how many charges make it. */
function Total(props: { label: string; cents: number; count: number; note: string }) {
  const { count } = props;
  return (
    <Figure
      value={formatCents(props.cents)}
      label={props.label}
      note={`${countOf(count, 'charge')}. ${props.note}`}
    />
  );
}

/** `/billing`: every fee charged for a badge, with totals, filters and the bursar's exports. */
export function LedgerPage(props: { ctx: PageContext; ledger: Ledger; filter: LedgerFilter }) {
  const { ctx, ledger, filter } = props;
  const { totals } = ledger;
  const isFiltered = Object.values(filter).some((v) => v !== undefined && v !== '');
  return (
    <Layout ctx={ctx} title="Fee ledger">
      <h1>Fee ledger</h1>
      <p>
        Each badge issued charges its program's fee to the learner's student account. Charges are sent to the
        student-account system by exporting them; a fee waived after it was sent is reversed, and the next
        export carries the credit.
      </p>
      {ledger.toReview > 0 ? (
        <Notice kind="warn">
          <p>
            {ledger.toReview === 1 ? '1 charge needs' : `${ledger.toReview} charges need`} your review: the
            badge was revoked as issued in error. Each is marked “Needs review” below; waive it or leave it.
          </p>
        </Notice>
      ) : null}
      <h2>Totals{isFiltered ? ' for the charges shown' : ''}</h2>
      <Figures>
        <Total
          label="Posted"
          cents={totals.postedCents}
          count={totals.postedCount}
          note="Owed on student accounts."
        />
        <Total
          label="Exported"
          cents={totals.exportedCents}
          count={totals.exportedCount}
          note="Posted and sent to the bursar."
        />
        <Total
          label="Outstanding"
          cents={totals.outstandingCents}
          count={totals.outstandingCount}
          note="Posted, not yet exported."
        />
        <Total label="Waived" cents={totals.waivedCents} count={totals.waivedCount} note="Never charged." />
        <Total
          label="Reversed"
          cents={totals.reversedCents}
          count={totals.reversedCount}
          note="Credited back after export."
        />
      </Figures>

      <h2>Export to the bursar</h2>
      <form method="post" action="/billing/exports/bursar.csv">
        <CsrfField token={ctx.csrfToken} />
        <p>
          The export holds every posted charge not yet sent and every reversal since the last export, and
          marks them as sent. With nothing new, the file holds only its header row.
        </p>
        <button type="submit">Export new charges (CSV)</button>
      </form>
      {ledger.exports.length > 0 ? (
        <ExportBatchesTable
          caption="Earlier exports"
          showCaption
          batches={ledger.exports}
          counts={[
            { heading: 'Charges', value: (batch) => batch.charge_count },
            { heading: 'Reversals', value: (batch) => batch.reversal_count },
            { heading: 'Net', value: (batch) => formatCents(Number(batch.net_cents)) },
          ]}
          fileHref={(batch) => `/billing/exports/bursar/${batch.id}.csv`}
        />
      ) : null}

      <h2>Charges</h2>
      <form method="get" action="/billing" class="filters" aria-label="Filter the charges">
        <FilterSearch name="q" label="Learner, e-mail or student ID" value={filter.q} />
        <FilterSelect
          name="status"
          label="Status"
          any="Any"
          options={(['posted', 'waived', 'reversed'] as const).map((s) => ({
            value: s,
            label: feeStatusLabels[s],
          }))}
          value={filter.status}
        />
        <FilterSelect
          name="exported"
          label="Exported"
          any="Either"
          options={[
            { value: 'yes', label: 'Exported' },
            { value: 'no', label: 'Not yet exported' },
          ]}
          value={filter.exported}
        />
        <FilterSelect
          name="program"
          label="Program"
          any="Any"
          options={ledger.programs.map((p) => ({ value: p.slug, label: p.title }))}
          value={filter.program}
        />
        <div>
          <label for="from">Posted from</label>
          <input id="from" name="from" type="date" value={filter.from ?? ''} />
        </div>
        <div>
          <label for="to">Posted to</label>
          <input id="to" name="to" type="date" value={filter.to ?? ''} />
        </div>
        <button type="submit" class="button button-secondary">
          Show
        </button>
      </form>
      <ChargesTable charges={ledger.charges} limit={ledger.limit} />
    </Layout>
  );
}

function ChargesTable({ charges, limit }: { charges: ChargeView[]; limit: number }) {
  if (charges.length === 0) return <p>No charge matches.</p>;
  return (
    <div class="table-wrap">
      <table class="issuing-table">
        <caption class="visually-hidden">
          Charges, newest first
          {charges.length === limit ? ` (the first ${limit}; narrow the filter to see others)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Learner</th>
            <th scope="col">Program</th>
            <th scope="col">Posted</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Exported</th>
          </tr>
        </thead>
        <tbody>
          {charges.map((charge) => (
            <tr key={charge.id}>
              <th scope="row">
                <a href={`/billing/charges/${charge.id}`}>{charge.learnerName}</a>
                <div class="muted">{charge.studentId}</div>
              </th>
              <td>{charge.programTitle}</td>
              <td>{formatDay(charge.postedAt)}</td>
              <td>{formatCents(charge.amountCents)}</td>
              <td>
                {feeStatusLabels[charge.status]}
                {charge.reason ? <div class="muted">{charge.reason}</div> : null}
                {charge.reviewReason && charge.status === 'posted' ? (
                  <div>
                    <span class="tag">Needs review</span>
                  </div>
                ) : null}
              </td>
              <td>{charge.exportedBatch ? 'Yes' : 'Not yet'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/billing/charges/:id`: one charge, and the waiver form for the bursar and the credentials office. */
export function ChargePage(props: {
  ctx: PageContext;
  charge: ChargeView;
  /** From the billing policy, through the service: the page shows what they allow and decides nothing. */
  canWaive: boolean;
  /** Why a person who may waive fees may not waive this one (it is their own), if so. */
  ownFeeRefusal?: string | undefined;
  canOpenLedger: boolean;
  errors?: FieldProblem[];
  reason?: string;
  notice?: string;
}) {
  const { ctx, charge, errors = [] } = props;
  return (
    <Layout ctx={ctx} title={`Fee for ${charge.learnerName}`}>
      <p>
        {props.canOpenLedger ? (
          <a href="/billing">Back to the fee ledger</a>
        ) : (
          <a href="/issuing">Back to issuing</a>
        )}
      </p>
      <h1>Fee for {charge.learnerName}</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <dl class="facts">
        <dt>Learner</dt>
        <dd>
          {charge.learnerName} ({charge.studentId}), {charge.learnerEmail}
        </dd>
        <dt>Program</dt>
        <dd>{charge.programTitle}</dd>
        <dt>Amount</dt>
        <dd>{formatCents(charge.amountCents)}</dd>
        <dt>Posted</dt>
        <dd>{formatMoment(charge.postedAt)}</dd>
        <dt>Status</dt>
        <dd>
          {feeStatusLabels[charge.status]}
          {charge.waivedAt ? ` on ${formatMoment(charge.waivedAt)}` : ''}
          {charge.waivedByName ? ` by ${charge.waivedByName}` : ''}
        </dd>
        {charge.reason ? (
          <>
            <dt>Reason</dt>
            <dd>{charge.reason}</dd>
          </>
        ) : null}
        {charge.reviewReason && charge.reviewFlaggedAt ? (
          <>
            <dt>Needs review</dt>
            <dd>
              {charge.reviewReason} (flagged {formatMoment(charge.reviewFlaggedAt)})
            </dd>
          </>
        ) : null}
        <dt>Sent to the bursar</dt>
        <dd>{charge.exportedBatch ? 'Yes' : 'Not yet'}</dd>
        <dt>Badge</dt>
        <dd>
          <a href={`/credentials/${charge.credentialId}`}>The credential this fee is for</a>
        </dd>
      </dl>
      {props.canWaive ? (
        <section aria-labelledby="waive-title">
          <h2 id="waive-title">Waive this fee</h2>
          <p>
            {charge.exportedBatch
              ? 'This charge was already sent to the student accounts, so waiving it reverses it: the next bursar export carries the credit.'
              : 'The charge has not been sent to the student accounts yet, so waiving it cancels it.'}
          </p>
          <ErrorSummary errors={errors} labels={{ reason: 'Reason' }} />
          <form method="post" action={`/billing/charges/${charge.id}/waive`} class="stack">
            <CsrfField token={ctx.csrfToken} />
            <TextAreaField
              name="reason"
              label="Reason"
              hint="Kept in the ledger and the audit log, for example the scholarship or agreement that covers it."
              maxLength={500}
              required
              value={props.reason}
              errors={errors}
            />
            <div>
              <button type="submit">Waive the fee</button>
            </div>
          </form>
        </section>
      ) : props.ownFeeRefusal ? (
        <p>{props.ownFeeRefusal}</p>
      ) : null}
    </Layout>
  );
}
