import { Figure, Figures } from '../platform/http/figures.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import type { ChargeView } from './billing.repository.ts';
import type { BillingService } from './billing.service.ts';

type LearnerFees = Awaited<ReturnType<BillingService['learnerFees']>>;

/** What each status means for the learner's own student account, in their words rather than the bursar's. */
const learnerStatusWords: Record<ChargeView['status'], string> = {
  posted: 'Charged to your student account',
  waived: 'Waived: you were not charged',
  reversed: 'Reversed: credited back to your student account',
};

/** `/billing/my-account`: the signed-in learner's badge fees, charged, waived and reversed. */
export function LearnerFeesPage(props: { ctx: PageContext; fees: LearnerFees }) {
  const { ctx, fees } = props;
  return (
    <Layout ctx={ctx} title="My account">
      <h1>My account</h1>
      <p>
        Each badge you are issued charges its program's fee to your student account, once. Staff may waive a
        fee (a scholarship, say); a fee waived after it reached your student account is reversed, and the
        credit appears there.
      </p>
      {fees.charges.length === 0 ? (
        <p>
          No badge fee has been charged to you. A program's fee is shown before you request its badge, and on
          its <a href="/catalog">catalog page</a>.
        </p>
      ) : (
        <>
          <h2>Totals</h2>
          <Figures>
            <Figure value={formatCents(fees.chargedCents)} label="Charged" note="On your student account." />
            <Figure value={formatCents(fees.waivedCents)} label="Waived" note="Never charged." />
            <Figure value={formatCents(fees.reversedCents)} label="Reversed" note="Credited back." />
          </Figures>
          <h2>Badge fees</h2>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Your badge fees, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Badge</th>
                  <th scope="col">Charged on</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {fees.charges.map((charge) => (
                  <tr key={charge.id}>
                    <th scope="row">
                      <a href={`/catalog/${charge.programSlug}`}>{charge.programTitle}</a>
                    </th>
                    <td class="nowrap">{formatDay(charge.postedAt)}</td>
                    <td>{formatCents(charge.amountCents)}</td>
                    <td>
                      {learnerStatusWords[charge.status]}
                      {charge.waivedAt ? ` on ${formatDay(charge.waivedAt)}` : ''}
                      {charge.reason ? <div class="muted">Reason: {charge.reason}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p>
        Questions about a charge go to the bursar's office; your <a href="/progress">progress</a> page shows
        the fee of each badge before you request it.
      </p>
    </Layout>
  );
}
