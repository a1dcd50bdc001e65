import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { conflictLabels } from './identity-check.ts';
import { OWN_REACTIVATION_REFUSAL } from './learners.policy.ts';
import { StaffLinks } from './learners.views.tsx';
import type { ReactivationRequest } from './reactivations.repository.ts';
import type { PendingRequest } from './reactivations.service.ts';

const day = (d: Date) => formatDay(d);

/**
 * The request beside the record its student ID points to, with what differs. Knowing an ID proves nothing, so
 * staff compare the person with the student system's record before linking the two.
 */
function IdentityComparison({ request }: { request: PendingRequest }) {
  const identity = request.identity;
  if (!identity || !request.studentId) return null;
  const { record, check } = identity;
  if (!record || !check) {
    return (
      <p class="muted">
        No record on file has student ID {request.studentId}. Approving creates a record with it, marked as
        not confirmed until the student system names this person's e-mail for that ID.
      </p>
    );
  }
  return (
    <div class="stack">
      <div class="table-wrap">
        <table>
          <caption>The request beside the record on file for {request.studentId}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">Fact</span>
              </th>
              <th scope="col">Request</th>
              <th scope="col">Record on file for {request.studentId}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Name</th>
              <td>{request.name}</td>
              <td>{record.name}</td>
            </tr>
            <tr>
              <th scope="row">E-mail</th>
              <td>{request.userEmail} (the account's)</td>
              <td>{record.email} (on record)</td>
            </tr>
            <tr>
              <th scope="row">Linked account</th>
              <td>The one asking</td>
              <td>{record.userId ? (record.accountEmail ?? 'another account') : 'None'}</td>
            </tr>
            <tr>
              <th scope="row">Student ID confirmed</th>
              <td>No (typed into the form)</td>
              <td>
                {record.identityConfirmed
                  ? 'Yes'
                  : 'No: the holder of this record typed the ID in too, and it was never confirmed'}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      {check.conflicts.length > 0 ? (
        <Notice kind="warn" role="note">
          <ul>
            {check.conflicts.map((c) => (
              <li key={c}>{conflictLabels[c]}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {check.isConfirmedByEmail ? (
        <Notice kind="ok" as="p">
          The e-mail on record is the account's e-mail.
        </Notice>
      ) : null}
    </div>
  );
}

function DecisionForms({ ctx, request }: { ctx: PageContext; request: PendingRequest }) {
  const id = `comment-${request.id}`;
  const check = request.identity?.check;
  const isBlocked = check?.isBlocked === true;
  const mustVerify = !isBlocked && (check?.conflicts.length ?? 0) > 0;
  return (
    <form method="post" action={`/learners/reactivations/${request.id}`} class="stack">
      <CsrfField token={ctx.csrfToken} />
      <div>
        <label for={id}>
          Comment to {request.name}
          <span class="hint" id={`${id}-hint`}>
            Needed when you decline: the student receives it as the reason.
          </span>
        </label>
        <textarea id={id} name="comment" maxLength={2000} aria-describedby={`${id}-hint`} />
      </div>
      {mustVerify ? (
        <div>
          <input type="checkbox" id={`verified-${request.id}`} name="identityVerified" value="yes" />{' '}
          <label for={`verified-${request.id}`} class="checkbox-label">
            I have verified this person's identity: they are the student on the record shown above
          </label>
        </div>
      ) : null}
      <div class="decision-buttons">
        {isBlocked ? null : (
          <button type="submit" name="decision" value="approve">
            Approve and enrol<span class="visually-hidden"> {request.name}</span>
          </button>
        )}
        <button type="submit" name="decision" value="decline" class="button-secondary">
          Decline<span class="visually-hidden"> {request.name}'s request</span>
        </button>
      </div>
    </form>
  );
}

/** `/learners/reactivations`: returning students waiting for a decision, and the latest decisions. */
export function ReactivationsPage(props: {
  ctx: PageContext;
  pending: PendingRequest[];
  decided: ReactivationRequest[];
  notice?: string;
  problem?: { message: string; fields: FieldProblem[] };
}) {
  const { ctx, pending, decided } = props;
  return (
    <Layout ctx={ctx} title="Reactivation requests">
      <StaffLinks ctx={ctx} />
      <h1>Reactivation requests</h1>
      <p>
        Returning students ask here to have their record reactivated for a micro-credential. Approving enrols
        them (as a returning student) and tells them by e-mail; declining sends them your comment.
      </p>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      {props.problem ? (
        <ErrorSummary errors={props.problem.fields} labels={{ identityVerified: 'The identity box' }}>
          <p>{props.problem.message}</p>
        </ErrorSummary>
      ) : null}
      <h2>Waiting for a decision ({pending.length})</h2>
      {pending.length === 0 ? (
        <p>No requests are waiting.</p>
      ) : (
        <ul class="cards request-list">
          {pending.map((r) => (
            <li class="card" key={r.id}>
              <h3>
                {r.name} · {r.programTitle}
              </h3>
              <dl class="facts">
                <dt>Asked on</dt>
                <dd>{day(r.createdAt)}</dd>
                <dt>Student ID</dt>
                <dd>{r.studentId ?? 'not given'}</dd>
                <dt>E-mail</dt>
                <dd>{r.userEmail}</dd>
                <dt>Last term attended</dt>
                <dd>{r.lastTerm}</dd>
                <dt>Learner record</dt>
                <dd>
                  {r.learnerId ? (
                    <a href={`/learners/${r.learnerId}`}>Open the record</a>
                  ) : r.identity?.record ? (
                    <>
                      Not linked: a record has this student ID (compared below).{' '}
                      <a href={`/learners/${r.identity.record.id}`}>Open the record on file</a>
                    </>
                  ) : (
                    'None on file'
                  )}
                </dd>
              </dl>
              <p>
                <strong>Reason:</strong> {r.reason}
              </p>
              <IdentityComparison request={r} />
              {r.canDecide ? (
                <DecisionForms ctx={ctx} request={r} />
              ) : (
                <p class="notice">{OWN_REACTIVATION_REFUSAL}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>Recent decisions</h2>
      {decided.length === 0 ? (
        <p>No decisions yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">The latest decisions on reactivation requests</caption>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Micro-credential</th>
                <th scope="col">Decision</th>
                <th scope="col">By</th>
                <th scope="col">On</th>
                <th scope="col">Comment</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((r) => (
                <tr key={r.id}>
                  <td>{r.learnerId ? <a href={`/learners/${r.learnerId}`}>{r.name}</a> : r.name}</td>
                  <td>{r.programTitle}</td>
                  <td>{r.status === 'approved' ? 'Approved' : 'Declined'}</td>
                  <td>{r.decidedByName ?? ''}</td>
                  <td>{r.decidedAt ? day(r.decidedAt) : ''}</td>
                  <td>{r.decisionComment ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
