import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { BadgeRequestsService } from './badge-requests.service.ts';
import { formatDay, ProgressMeter, SavedNotice, TextArea } from './progress-parts.tsx';

type Review = Awaited<ReturnType<BadgeRequestsService['requestsToReview']>>;

/** A decision form that failed validation: which request, what was wrong and what was typed. */
export interface DecisionDraft {
  requestId: string;
  errors: FieldProblem[];
  comment: string;
}

/** `/progress/requests`: requests waiting for the program lead's decision, and approved ones. */
export function BadgeRequestsPage(props: {
  ctx: PageContext;
  data: Review;
  programSlug?: string;
  notice?: string;
  draft?: DecisionDraft;
}) {
  const { ctx, data, programSlug, draft } = props;
  const scope = programSlug ? `?program=${programSlug}` : '';
  return (
    <Layout ctx={ctx} title="Badge requests">
      <h1>Badge requests</h1>
      <SavedNotice message={props.notice} />
      <p>
        Learners ask for their badge once their record meets the requirements. Check the record, then approve
        the request or return it with a comment saying what is missing. Each decision is e-mailed to the
        learner. {programSlug ? <a href="/progress/requests">Show requests from every program</a> : null}
      </p>
      <h2>Waiting for a decision ({data.waiting.length})</h2>
      {data.waiting.length === 0 ? (
        <p>Nothing is waiting for a decision.</p>
      ) : (
        <div class="progress-list">
          {data.waiting.map(({ request, progress, ownRequest }) => {
            const headingId = `request-${request.id}`;
            const errors = draft?.requestId === request.id ? draft.errors : [];
            const commentId = `comment-${request.id}`;
            return (
              <section
                key={request.id}
                class="card progress-card"
                id={headingId}
                aria-labelledby={`${headingId}-title`}
              >
                <h3 id={`${headingId}-title`}>
                  {request.learnerName}: {request.programTitle}
                </h3>
                <ErrorSummary
                  errors={errors.map((problem) => ({
                    ...problem,
                    field: problem.field === 'comment' ? commentId : problem.field,
                  }))}
                  labels={{ [commentId]: 'Comment' }}
                />
                <dl class="facts">
                  <dt>Student ID</dt>
                  <dd>{request.studentId}</dd>
                  <dt>Asked on</dt>
                  <dd>{formatDay(request.requestedAt)}</dd>
                  <dt>Record then</dt>
                  <dd>{request.evaluation.explanation}</dd>
                  <dt>Record now</dt>
                  <dd>
                    {progress.met ? 'Still meets every requirement. ' : 'No longer meets the requirements. '}
                    {progress.explanation}
                  </dd>
                </dl>
                <ProgressMeter percent={progress.percent} label={`Progress of ${request.learnerName}`} />
                <p>
                  <a href={`/progress/programs/${request.programSlug}/learners/${request.learnerId}`}>
                    Open {request.learnerName}'s record in this program
                  </a>
                </p>
                {ownRequest ? (
                  <p>
                    <strong>{ownRequest}</strong>
                  </p>
                ) : null}
                {ownRequest ? null : (
                  <form
                    method="post"
                    action={`/progress/requests/${request.id}/decision${scope}`}
                    class="stack"
                  >
                    <CsrfField token={ctx.csrfToken} />
                    <TextArea
                      id={commentId}
                      name="comment"
                      label="Comment for the learner"
                      hint="Optional when approving; required when returning the request."
                      value={draft?.requestId === request.id ? draft.comment : undefined}
                      error={errors.find((problem) => problem.field === 'comment')}
                    />
                    <div class="button-row">
                      <button type="submit" name="decision" value="approve">
                        Approve<span class="visually-hidden"> the request of {request.learnerName}</span>
                      </button>
                      <button type="submit" name="decision" value="return" class="button-secondary">
                        Return to the learner<span class="visually-hidden"> ({request.learnerName})</span>
                      </button>
                    </div>
                  </form>
                )}
              </section>
            );
          })}
        </div>
      )}
      <h2>Approved, waiting to be issued ({data.approved.length})</h2>
      {data.approved.length === 0 ? (
        <p>No approved request is waiting to be issued.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Approved badge requests</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Program</th>
                <th scope="col">Approved</th>
              </tr>
            </thead>
            <tbody>
              {data.approved.map((request) => (
                <tr key={request.id}>
                  <th scope="row">
                    {request.learnerName} <span class="muted">({request.studentId})</span>
                  </th>
                  <td>{request.programTitle}</td>
                  <td>
                    {request.decidedAt ? formatDay(request.decidedAt) : ''}
                    {request.decidedByName ? ` by ${request.decidedByName}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
