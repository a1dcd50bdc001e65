import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import { countOf } from '../platform/words.ts';
import { type ConfirmationProblem, confirmationProblemMessages } from './issue-confirmation.ts';
import { IssuingNav } from './issuing-parts.tsx';
import { officeLabels } from './offices.ts';
import type { TrackingListsService } from './tracking-lists.service.ts';

type Confirmation = Awaited<ReturnType<TrackingListsService['commitConfirmation']>>;

/**
 * `/issuing/tracking-lists/:id/confirm`: the step between "Commit" and issuing. Issuing cannot be taken back
 * quietly (each credential is signed and published, each fee charged, each learner mailed), so the page says
 * exactly that, with the amounts, before the button that does it.
 */
export function CommitConfirmPage(props: {
  ctx: PageContext;
  view: Confirmation;
  problem?: ConfirmationProblem;
}) {
  const { ctx, view } = props;
  const { list, fees } = view;
  const ready = list.counts.ready;
  const base = `/issuing/tracking-lists/${list.id}`;
  return (
    <Layout ctx={ctx} title={`Issue ${countOf(ready, 'badge')}?`}>
      <IssuingNav ctx={ctx} />
      <h1>
        Issue {countOf(ready, 'badge')} from {list.cohort}?
      </h1>
      {props.problem ? (
        <Notice kind="bad">
          <p>{confirmationProblemMessages[props.problem]}</p>
        </Notice>
      ) : null}
      <p>Committing the list, for the {officeLabels[list.office].toLowerCase()}, does all of this at once:</p>
      <ul>
        <li>
          signs and publishes {countOf(ready, 'badge')}, one for each ready row; a badge issued in error must
          be revoked, which the learner and anyone verifying it will see;
        </li>
        <li>
          {fees.charged === 0
            ? 'charges no fee: every ready row is free or has its fee waived on the list;'
            : `charges ${formatCents(fees.totalCents)} in fees to the student accounts of ${countOf(fees.charged, 'learner')}${fees.waived > 0 ? ` (${fees.waived} more waived on the list)` : ''};`}
        </li>
        <li>e-mails each learner a link to claim their badge.</li>
      </ul>
      <p>Rows that are not ready are left alone.</p>
      <div class="button-row">
        <form method="post" action={`${base}/commit`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="confirmation" value={view.token} />
          <button type="submit">Yes, issue {countOf(ready, 'badge')}</button>
        </form>
        <a class="button button-secondary" href={base}>
          No, back to the list
        </a>
      </div>
    </Layout>
  );
}
