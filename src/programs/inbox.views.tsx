import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { ApprovalStep } from './approval-chain.ts';
import { formatMoment } from './format.ts';
import { changedFieldLabels } from './program-fields.ts';
import { ProblemSummary } from './program-form.views.tsx';
import type { ProgramPagesService } from './program-pages.service.ts';
import { NEEDS_ANOTHER_APPROVER } from './programs.policy.ts';

type Inbox = Awaited<ReturnType<ProgramPagesService['inbox']>>;

/** A chain step as the inbox names it: with the person it names, when it names one. */
const stepLabel = (step: Pick<ApprovalStep, 'name' | 'person'>) =>
  step.person ? `${step.name} (${step.person.name})` : step.name;

/** What waits for the signed-in person: signatures to give, decisions for their role, proposals to finish. */
export function InboxPage(props: {
  ctx: PageContext;
  inbox: Inbox;
  notice?: string | undefined;
  problem?: string | undefined;
}) {
  const { ctx, inbox } = props;
  const nothing =
    inbox.signatures.length +
      inbox.pilotDecisions.length +
      inbox.approvalSteps.length +
      inbox.proposedChanges.length +
      inbox.waitingForOthers.length +
      inbox.stalled.length +
      inbox.forLead.length ===
    0;
  return (
    <Layout ctx={ctx} title="My inbox">
      <h1>My inbox</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <ProblemSummary errors={[]} message={props.problem} />
      {nothing ? <p>Nothing is waiting for you. New requests arrive here and by e-mail.</p> : null}

      {inbox.signatures.length > 0 ? (
        <section aria-labelledby="sign-title">
          <h2 id="sign-title">Proposals to sign</h2>
          <ul class="inbox-list">
            {inbox.signatures.map((s) => (
              <li key={s.signer_id} class="card">
                <h3>
                  <a href={`/programs/${s.id}`}>{s.title}</a>
                </h3>
                <p>
                  {s.lead_name} asks you to sign as <strong>{s.role_label}</strong>. Read the proposal first,
                  then decide here.
                </p>
                <form method="post" action={`/programs/${s.id}/actions`} class="stack wide">
                  <CsrfField token={ctx.csrfToken} />
                  <input type="hidden" name="from" value="inbox" />
                  <div>
                    <label for={`comment-${s.signer_id}`}>
                      Comment<span class="visually-hidden"> on {s.title}</span>
                    </label>
                    <span class="hint" id={`comment-${s.signer_id}-hint`}>
                      Required to decline; optional when signing.
                    </span>
                    <textarea
                      id={`comment-${s.signer_id}`}
                      name="comment"
                      rows={2}
                      aria-describedby={`comment-${s.signer_id}-hint`}
                    />
                  </div>
                  <div class="button-row">
                    <button type="submit" name="action" value="sign">
                      Sign<span class="visually-hidden"> {s.title}</span>
                    </button>
                    <button type="submit" name="action" value="signature_declined" class="button-secondary">
                      Decline<span class="visually-hidden"> to sign {s.title}</span>
                    </button>
                  </div>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {inbox.pilotDecisions.length > 0 ? (
        <section aria-labelledby="pilot-title">
          <h2 id="pilot-title">Proposals waiting for a pilot decision</h2>
          <Table
            caption="Submitted proposals"
            rows={inbox.pilotDecisions.map((p) => ({
              id: p.id,
              title: p.title,
              detail: `Submitted by ${p.lead_name ?? 'the lead'}`,
              when: p.updated_at,
            }))}
          />
        </section>
      ) : null}

      {inbox.approvalSteps.length > 0 ? (
        <section aria-labelledby="steps-title">
          <h2 id="steps-title">Full proposals waiting for your step</h2>
          <Table
            caption="Full proposals and the step that waits"
            rows={inbox.approvalSteps.map((p) => ({
              id: p.id,
              title: p.title,
              detail: stepLabel(p.step),
              when: p.updated_at,
            }))}
          />
        </section>
      ) : null}

      {inbox.proposedChanges.length > 0 ? (
        <section aria-labelledby="changes-title">
          <h2 id="changes-title">Proposed changes waiting for your step</h2>
          <p>
            Changes to approved programs. The approved version stays public until the last step approves the
            change.
          </p>
          <Table
            caption="Proposed changes and the step that waits"
            rows={inbox.proposedChanges.map((c) => ({
              id: c.programId,
              title: c.title,
              detail: `${stepLabel(c.step)}: ${c.changed.map((field) => changedFieldLabels[field] ?? field).join(', ')}${
                c.proposedByName ? `, proposed by ${c.proposedByName}` : ''
              }`,
              when: c.since,
            }))}
          />
        </section>
      ) : null}

      {inbox.waitingForOthers.length > 0 ? (
        <section aria-labelledby="others-title">
          <h2 id="others-title">Your proposals waiting for another approver</h2>
          <p>You proposed these, so you do not decide on them: another approver records each step.</p>
          <Table
            caption="Your proposals under review"
            rows={inbox.waitingForOthers.map((p) => ({
              id: p.id,
              title: p.title,
              detail: `${p.step ? stepLabel(p.step) : 'Pilot decision'}: ${
                p.needsAnotherApprover
                  ? `${NEEDS_ANOTHER_APPROVER.toLowerCase()} (nobody else holds the role)`
                  : 'waiting for another approver'
              }`,
              when: p.updated_at,
            }))}
          />
        </section>
      ) : null}

      {inbox.stalled.length > 0 ? (
        <section aria-labelledby="stalled-title">
          <h2 id="stalled-title">{NEEDS_ANOTHER_APPROVER}</h2>
          <p>
            Only the program's own lead holds the role that decides the next step. Give the role to someone
            else so the review can go on.
          </p>
          <Table
            caption="Reviews no one but the author could decide"
            rows={inbox.stalled.map((p) => ({
              id: p.id,
              title: p.title,
              detail: `${p.step ? stepLabel(p.step) : 'Pilot decision'}, proposed by ${p.lead_name ?? 'the lead'}`,
              when: p.updated_at,
            }))}
          />
        </section>
      ) : null}

      {inbox.forLead.length > 0 ? (
        <section aria-labelledby="lead-title">
          <h2 id="lead-title">Your proposals that need you</h2>
          <Table
            caption="Proposals to revise or submit"
            rows={inbox.forLead.map((p) => ({
              id: p.id,
              title: p.title,
              detail:
                p.status === 'changes_requested'
                  ? 'Changes requested: revise it'
                  : 'Every signer has signed: submit it',
              when: p.updated_at,
            }))}
          />
        </section>
      ) : null}
      {inbox.canListPrograms ? (
        <p>
          <a href="/programs">All programs</a>
        </p>
      ) : null}
    </Layout>
  );
}

function Table({
  caption,
  rows,
}: {
  caption: string;
  rows: { id: string; title: string; detail: string; when: Date }[];
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Program</th>
            <th scope="col">What waits</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <a href={`/programs/${r.id}`}>{r.title}</a>
              </th>
              <td>{r.detail}</td>
              <td>{formatMoment(r.when)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
