import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { hasRole, type PageContext } from '../platform/http/page-context.ts';
import type { ChargeView, LedgerFilter } from './billing.repository.ts';
import type { BillingService } from './billing.service.ts';
import type { FeeChargeStatus } from './billing.tables.ts';
import { formatCents } from './money.ts';

type Ledger = Awaited<ReturnType<BillingService['ledger']>>;

const statusLabels: Record<FeeChargeStatus, string> = {
  posted: 'Posted',
  waived: 'Waived',
  reversed: 'Reversed',
};

const moment = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const day = (d: Date) => d.toISOString().slice(0, 10);

function Figure({
  label,
  cents,
  count,
  hint,
}: {
  label: string;
  cents: number;
  count: number;
  hint: string;
}) {
  return (
    <li>
      <span class="ledger-figure">{formatCents(cents)}</span>
      <strong>{label}</strong>
      <span class="hint">
        {count} {count === 1 ? 'charge' : 'charges'}. {hint}
      </span>
    </li>
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
      <h2>Totals{isFiltered ? ' for the charges shown' : ''}</h2>
      <ul class="ledger-figures">
        <Figure
          label="Posted"
          cents={totals.postedCents}
          count={totals.postedCount}
          hint="Owed on student accounts."
        />
        <Figure
          label="Exported"
          cents={totals.exportedCents}
          count={totals.exportedCount}
          hint="Posted and sent to the bursar."
        />
        <Figure
          label="Outstanding"
          cents={totals.outstandingCents}
          count={totals.outstandingCount}
          hint="Posted, not yet exported."
        />
        <Figure label="Waived" cents={totals.waivedCents} count={totals.waivedCount} hint="Never charged." />
        <Figure
          label="Reversed"
          cents={totals.reversedCents}
          count={totals.reversedCount}
          hint="Credited back after export."
        />
      </ul>

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
        <div class="table-wrap">
          <table class="issuing-table">
            <caption>Earlier exports</caption>
            <thead>
              <tr>
                <th scope="col">Exported</th>
                <th scope="col">By</th>
                <th scope="col">Charges</th>
                <th scope="col">Reversals</th>
                <th scope="col">Net</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {ledger.exports.map((batch) => (
                <tr key={batch.id}>
                  <th scope="row">{moment(batch.created_at)}</th>
                  <td>{batch.created_by_label}</td>
                  <td>{batch.charge_count}</td>
                  <td>{batch.reversal_count}</td>
                  <td>{formatCents(Number(batch.net_cents))}</td>
                  <td>
                    <a href={`/billing/exports/bursar/${batch.id}.csv`}>
                      Download<span class="visually-hidden"> the export of {moment(batch.created_at)}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <h2>Charges</h2>
      <form method="get" action="/billing" class="filters" aria-label="Filter the charges">
        <div>
          <label for="q">Learner, e-mail or student ID</label>
          <input id="q" name="q" type="search" value={filter.q ?? ''} />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {(['posted', 'waived', 'reversed'] as const).map((s) => (
              <option key={s} value={s} selected={filter.status === s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="exported">Exported</label>
          <select id="exported" name="exported">
            <option value="">Either</option>
            <option value="yes" selected={filter.exported === 'yes'}>
              Exported
            </option>
            <option value="no" selected={filter.exported === 'no'}>
              Not yet exported
            </option>
          </select>
        </div>
        <div>
          <label for="program">Program</label>
          <select id="program" name="program">
            <option value="">Any</option>
            {ledger.programs.map((p) => (
              <option key={p.slug} value={p.slug} selected={filter.program === p.slug}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
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
              <td>{day(charge.postedAt)}</td>
              <td>{formatCents(charge.amountCents)}</td>
              <td>
                {statusLabels[charge.status]}
                {charge.reason ? <div class="muted">{charge.reason}</div> : null}
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
  errors?: FieldProblem[];
  reason?: string;
  notice?: string;
}) {
  const { ctx, charge, errors = [] } = props;
  const mayWaive = hasRole(ctx.actor, 'bursar', 'credentials_office') && charge.status === 'posted';
  const reasonError = errors.find((e) => e.field === 'reason');
  return (
    <Layout ctx={ctx} title={`Fee for ${charge.learnerName}`}>
      <p>
        {hasRole(ctx.actor, 'bursar', 'admin') ? (
          <a href="/billing">Back to the fee ledger</a>
        ) : (
          <a href="/issuing">Back to issuing</a>
        )}
      </p>
      <h1>Fee for {charge.learnerName}</h1>
      {props.notice ? (
        <div class="notice notice-ok" role="status">
          <p>{props.notice}</p>
        </div>
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
        <dd>{moment(charge.postedAt)}</dd>
        <dt>Status</dt>
        <dd>
          {statusLabels[charge.status]}
          {charge.waivedAt ? ` on ${moment(charge.waivedAt)}` : ''}
          {charge.waivedByName ? ` by ${charge.waivedByName}` : ''}
        </dd>
        {charge.reason ? (
          <>
            <dt>Reason</dt>
            <dd>{charge.reason}</dd>
          </>
        ) : null}
        <dt>Sent to the bursar</dt>
        <dd>{charge.exportedBatch ? 'Yes' : 'Not yet'}</dd>
        <dt>Badge</dt>
        <dd>
          <a href={`/credentials/${charge.credentialId}`}>The credential this fee is for</a>
        </dd>
      </dl>
      {mayWaive ? (
        <section aria-labelledby="waive-title">
          <h2 id="waive-title">Waive this fee</h2>
          <p>
            {charge.exportedBatch
              ? 'This charge was already sent to the student accounts, so waiving it reverses it: the next bursar export carries the credit.'
              : 'The charge has not been sent to the student accounts yet, so waiving it cancels it.'}
          </p>
          <ErrorSummary errors={errors} />
          <form method="post" action={`/billing/charges/${charge.id}/waive`} class="stack">
            <CsrfField token={ctx.csrfToken} />
            <div>
              <label for="reason">
                Reason
                <span class="hint" id="reason-hint">
                  Kept in the ledger and the audit log, for example the scholarship or agreement that covers
                  it.
                </span>
              </label>
              <textarea
                id="reason"
                name="reason"
                rows={3}
                maxLength={500}
                required
                aria-describedby={reasonError ? 'reason-hint reason-error' : 'reason-hint'}
                aria-invalid={reasonError ? 'true' : undefined}
              >
                {props.reason ?? ''}
              </textarea>
              {reasonError ? (
                <p class="field-error" id="reason-error">
                  Reason {reasonError.reason}.
                </p>
              ) : null}
            </div>
            <div>
              <button type="submit">Waive the fee</button>
            </div>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
