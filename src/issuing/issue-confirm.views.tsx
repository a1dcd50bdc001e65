import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import { countOf, wordFor } from '../platform/words.ts';
import { type ConfirmationProblem, confirmationProblemMessages } from './issue-confirmation.ts';
import type { IssueConfirmation } from './issuing.service.ts';
import { IssuingNav } from './issuing-parts.tsx';
import { creditModeLabels, officeLabels } from './offices.ts';

/**
 * `/issuing/issue/confirm`: the step between choosing approved requests and issuing them. Issuing signs and
 * publishes each credential, charges each fee and mails each learner, so the page lists exactly that before the
 * button that does it; the POST is refused without this page's confirmation (see issue-confirmation.ts).
 */
export function IssueConfirmPage(props: {
  ctx: PageContext;
  confirmation: IssueConfirmation;
  problem?: ConfirmationProblem;
}) {
  const { ctx, confirmation } = props;
  const { office, items, refused, totalCents } = confirmation;
  const charged = items.filter((item) => item.program.feeCents > 0).length;
  const back = `/issuing?office=${office}`;
  const title = items.length === 0 ? 'Nothing to issue' : `Issue ${countOf(items.length, 'badge')}?`;
  return (
    <Layout ctx={ctx} title={title}>
      <IssuingNav ctx={ctx} />
      <h1>{title}</h1>
      {props.problem ? (
        <Notice kind="bad">
          <p>{confirmationProblemMessages[props.problem]}</p>
        </Notice>
      ) : null}
      {refused.length > 0 ? (
        <Notice kind="warn">
          <h2>Not issued from your selection</h2>
          <ul>
            {refused.map((r) => (
              <li key={r.requestId}>
                {r.who} {r.reason}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {items.length === 0 ? (
        <p>
          <a href={back}>Back to the approved requests</a>
        </p>
      ) : (
        <>
          <p>Issuing, for the {officeLabels[office].toLowerCase()}, does all of this at once:</p>
          <ul>
            <li>
              signs and publishes {countOf(items.length, 'badge')}; a badge issued in error must be revoked,
              which the learner and anyone verifying it will see;
            </li>
            <li>
              {charged === 0
                ? 'charges no fee: every badge below is free;'
                : `charges ${formatCents(totalCents)} in fees to the student ${wordFor(charged, 'account')} of ${countOf(charged, 'learner')};`}
            </li>
            <li>e-mails each learner a link to claim their badge.</li>
          </ul>
          <div class="table-wrap">
            <table class="issuing-table">
              <caption>Badges to issue</caption>
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  <th scope="col">Badge</th>
                  <th scope="col">Fee to charge</th>
                </tr>
              </thead>
              <tbody>
                {items.map(({ request, program, creditMode }) => (
                  <tr key={request.id}>
                    <th scope="row">
                      {request.learnerName}
                      <div class="muted">{request.studentId}</div>
                    </th>
                    <td>
                      {program.title}
                      <div class="muted">{creditModeLabels[creditMode]}</div>
                    </td>
                    <td>{program.feeCents > 0 ? formatCents(program.feeCents) : 'No fee'}</td>
                  </tr>
                ))}
              </tbody>
              {items.length > 1 ? (
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>
                      Total
                    </th>
                    <td>{formatCents(totalCents)}</td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
          <div class="button-row">
            <form method="post" action="/issuing/issue">
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="office" value={office} />
              <input type="hidden" name="confirmation" value={confirmation.token} />
              {items.map(({ request }) => (
                <input key={request.id} type="hidden" name="requestIds" value={request.id} />
              ))}
              <button type="submit">Yes, issue {countOf(items.length, 'badge')}</button>
            </form>
            <a class="button button-secondary" href={back}>
              No, back to the approved requests
            </a>
          </div>
        </>
      )}
    </Layout>
  );
}
