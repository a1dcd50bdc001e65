import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, FieldError } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { RecordLinkingService } from './record-linking.service.ts';

export type AccountPanel = Awaited<ReturnType<RecordLinkingService['accountPanel']>>;
type Proposal = Awaited<ReturnType<RecordLinkingService['linkProposal']>>;

export const linkingLabels = {
  confirmed: 'The confirmation box',
  confirmUnlink: 'The unlink box',
};

/** On a learner's page: the account the record belongs to, and (for records staff) finding one to link. */
export function AccountLinkSection(props: {
  ctx: PageContext;
  learnerId: string;
  panel: AccountPanel;
  errors?: FieldProblem[];
}) {
  const { ctx, learnerId, panel } = props;
  if (!panel.canLink) return null;
  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">Sign-in account</h2>
      {panel.linked ? (
        <>
          <p>
            Linked to {panel.linked.name} ({panel.linked.email}).
          </p>
          {panel.canUnlink ? (
            <form method="post" action={`/learners/${learnerId}/account/unlink`} class="stack">
              <CsrfField token={ctx.csrfToken} />
              <div>
                <input
                  type="checkbox"
                  id="confirmUnlink"
                  name="confirmUnlink"
                  value="yes"
                  required
                  aria-describedby={
                    props.errors?.some((e) => e.field === 'confirmUnlink') ? 'confirmUnlink-error' : undefined
                  }
                />{' '}
                <label for="confirmUnlink" class="checkbox-label">
                  This account is not this learner's: unlink it
                </label>
                <FieldError name="confirmUnlink" label={linkingLabels.confirmUnlink} errors={props.errors} />
              </div>
              <div>
                <button type="submit" class="button button-secondary">
                  Unlink the account
                </button>
              </div>
            </form>
          ) : (
            <p>This is your own account: another member of staff must unlink it.</p>
          )}
        </>
      ) : (
        <>
          <p>No sign-in account is linked to this record.</p>
          <form method="get" action={`/learners/${learnerId}`} class="filters">
            <div>
              <label for="account">Find an account by e-mail</label>
              <input id="account" name="account" type="search" value={panel.search ?? ''} minLength={3} />
            </div>
            <button type="submit" class="button button-secondary">
              Search accounts
            </button>
          </form>
          {panel.search ? <CandidateTable learnerId={learnerId} panel={panel} /> : null}
        </>
      )}
    </section>
  );
}

function CandidateTable({ learnerId, panel }: { learnerId: string; panel: AccountPanel }) {
  if (panel.candidates.length === 0) return <p>No account's e-mail contains “{panel.search}”.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>Accounts whose e-mail contains “{panel.search}”</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Link</th>
          </tr>
        </thead>
        <tbody>
          {panel.candidates.map((a) => (
            <tr key={a.id}>
              <td>{a.name}</td>
              <td>{a.email}</td>
              <td>
                {a.refusal ? (
                  a.refusal
                ) : (
                  <a href={`/learners/${learnerId}/account/confirm?userId=${a.id}`}>
                    Link<span class="visually-hidden"> {a.email}</span>…
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The record and the account side by side: staff confirm they checked the person before the link is made. */
export function LinkConfirmPage(props: {
  ctx: PageContext;
  proposal: Proposal;
  errors?: FieldProblem[];
  problem?: string;
}) {
  const { ctx, proposal } = props;
  const { record, account } = proposal;
  const refusal = props.problem ?? proposal.refusal;
  return (
    <Layout ctx={ctx} title={`Link an account to ${record.name}`}>
      <p>
        <a href={`/learners/${record.id}`}>Back to {record.name}</a>
      </p>
      <h1>Link an account to {record.name}</h1>
      <ErrorSummary errors={props.errors ?? []} labels={linkingLabels}>
        {refusal ? <p>{refusal}</p> : null}
      </ErrorSummary>
      <dl class="facts">
        <dt>Learner record</dt>
        <dd>
          {record.name}, student ID {record.studentId}, {record.email}
        </dd>
        <dt>Account</dt>
        <dd>
          {account.name}, {account.email}
        </dd>
      </dl>
      {refusal ? null : (
        <form method="post" action={`/learners/${record.id}/account`} class="stack">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="userId" value={account.id} />
          <div>
            <input
              type="checkbox"
              id="confirmed"
              name="confirmed"
              value="yes"
              required
              aria-describedby={
                props.errors?.some((e) => e.field === 'confirmed') ? 'confirmed-error' : undefined
              }
            />{' '}
            <label for="confirmed" class="checkbox-label">
              I have checked that this account's holder is the person this record describes
            </label>
            <FieldError name="confirmed" label={linkingLabels.confirmed} errors={props.errors} />
          </div>
          <div>
            <button type="submit">Link the account</button>
          </div>
        </form>
      )}
    </Layout>
  );
}
