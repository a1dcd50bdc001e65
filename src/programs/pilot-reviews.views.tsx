import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { TextArea } from './form-controls.tsx';
import { formatMoment } from './format.ts';
import { type PeriodicReviewsService, periodicReviewQuestions } from './periodic-reviews.service.ts';
import type { DatedObligation } from './pilot-obligations.ts';
import { type PilotReviewsService, type ReviewAnswers, reviewQuestions } from './pilot-reviews.service.ts';
import { ProblemSummary } from './program-form.views.tsx';
import { NEEDS_ANOTHER_APPROVER } from './programs.policy.ts';

type ReviewPage = Awaited<ReturnType<PilotReviewsService['reviewPage']>>;
type PeriodicPage = Awaited<ReturnType<PeriodicReviewsService['reviewPage']>>;

interface ReviewFormProps {
  ctx: PageContext;
  answers?: Partial<ReviewAnswers>;
  errors?: FieldProblem[];
  message?: string | undefined;
  notice?: string | undefined;
}

/** The yearly review of a pilot: figures from the records, then the lead's narrative. */
export function PilotReviewPage(props: ReviewFormProps & { page: ReviewPage }) {
  const { page } = props;
  const { year } = page;
  return (
    <ReviewForm
      {...props}
      page={page}
      heading={`Year ${year.number} pilot review`}
      period={
        <>
          Academic year {year.academicYear}, from {year.startsOn} to {year.endsOn}. Due{' '}
          <strong class="nowrap">{year.reviewDueOn}</strong>
        </>
      }
      figureWords="this year"
      questions={reviewQuestions}
      action={`/programs/${page.program.id}/reviews/${year.number}`}
    />
  );
}

/** The periodic review of an established program: the pilot review's form, for the years since the last one. */
export function PeriodicReviewPage(props: ReviewFormProps & { page: PeriodicPage }) {
  const { page } = props;
  const { period } = page;
  return (
    <ReviewForm
      {...props}
      page={page}
      heading={`Periodic review ${period.cycle}`}
      period={
        <>
          Established programs are reviewed every {page.everyYears} year{page.everyYears === 1 ? '' : 's'}.
          This review covers {period.startsOn} to {period.endsOn}. Due{' '}
          <strong class="nowrap">{period.dueOn}</strong>
        </>
      }
      figureWords="in this period"
      questions={periodicReviewQuestions}
      action={`/programs/${page.program.id}/periodic-reviews/${period.cycle}`}
    />
  );
}

/** What both review pages share: the period, the figures from the records, and the narrative form. */
function ReviewForm(
  props: ReviewFormProps & {
    page: ReviewPage | PeriodicPage;
    heading: string;
    period: preact.ComponentChildren;
    figureWords: string;
    questions: readonly { name: keyof ReviewAnswers; label: string; required: boolean }[];
    action: string;
  },
) {
  const { ctx, page } = props;
  const { program, figures } = page;
  const answers = { ...page.answers, ...props.answers };
  const errors = props.errors ?? [];
  return (
    <Layout ctx={ctx} title={`${props.heading}: ${program.title}`}>
      <p>
        <a href={`/programs/${program.id}`}>Back to {program.title}</a>
      </p>
      <h1>
        {props.heading}: {program.title}
      </h1>
      <p>
        {props.period}
        {page.overdue ? <strong class="overdue"> (overdue)</strong> : null}.
      </p>
      {props.notice ? (
        <div class="notice notice-ok" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      {page.submittedAt ? (
        <div class="notice notice-info">
          <p>
            Submitted by {page.submittedBy ?? 'the program lead'} on {formatMoment(page.submittedAt)}. The
            figures below are as they stood then.
          </p>
        </div>
      ) : null}
      <ProblemSummary errors={errors} message={props.message} />

      <h2>From the records</h2>
      <dl class="facts">
        <dt>New enrolments {props.figureWords}</dt>
        <dd>{figures.newEnrolments}</dd>
        <dt>Active enrolments</dt>
        <dd>{figures.activeEnrolments}</dd>
        <dt>Completed the program</dt>
        <dd>{figures.completedEnrolments}</dd>
        <dt>Course completions {props.figureWords}</dt>
        <dd>{figures.courseCompletions}</dd>
        <dt>Badges issued</dt>
        <dd>0 (not yet tracked here)</dd>
        <dt>Fees charged</dt>
        <dd>Not yet tracked here</dd>
      </dl>

      <h2>Your review</h2>
      {page.canEdit ? (
        <form method="post" action={props.action} class="stack wide">
          <CsrfField token={ctx.csrfToken} />
          {props.questions.map((q) => (
            <TextArea
              key={q.name}
              name={q.name}
              label={q.label}
              hint={q.required ? 'Required to submit.' : 'Optional.'}
              rows={5}
              values={answers}
              errors={errors}
            />
          ))}
          <div class="button-row">
            <button type="submit" name="intent" value="submit">
              Submit the review
            </button>
            <button type="submit" name="intent" value="save" class="button-secondary">
              Save a draft
            </button>
          </div>
        </form>
      ) : (
        props.questions.map((q) => (
          <div key={q.name}>
            <h3>{q.label}</h3>
            <p class="pre-line">{answers[q.name] || <span class="muted">Not answered yet.</span>}</p>
          </div>
        ))
      )}
    </Layout>
  );
}

function ObligationTable({
  caption,
  rows,
  late,
}: {
  caption: string;
  rows: DatedObligation[];
  late: boolean;
}) {
  if (rows.length === 0) return <p>None.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Program</th>
            <th scope="col">What is due</th>
            <th scope="col">Lead</th>
            <th scope="col">Due</th>
            <th scope="col">{late ? 'Days late' : 'Days left'}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.subjectId}>
              <th scope="row">
                <a href={`/programs/${o.programId}`}>{o.title}</a>
              </th>
              <td>{o.kind === 'pilot_decision' ? o.label : <a href={o.path}>{o.label}</a>}</td>
              <td>{o.leadName ?? '—'}</td>
              <td class="nowrap">{o.dueOn}</td>
              <td>{o.days}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The credentials office's view of review obligations (pilots and established programs) late or close. */
export function OverduePage(props: {
  ctx: PageContext;
  today: string;
  overdue: DatedObligation[];
  dueSoon: DatedObligation[];
  /** Proposals under review whose next step only their own lead could decide. */
  stalled: readonly {
    id: string;
    title: string;
    step?: { name: string } | undefined;
    lead_name: string | null;
  }[];
}) {
  return (
    <Layout ctx={props.ctx} title="Overdue and upcoming reviews">
      <p>
        <a href="/programs">All programs</a>
      </p>
      <h1>Overdue and upcoming reviews</h1>
      <p>
        Pilots’ annual reviews and post-pilot decisions, and established programs’ periodic reviews, as of{' '}
        <span class="nowrap">{props.today}</span>. Leads get e-mail reminders 30, 7 and 1 day before each
        date, once when it has passed, and a weekly summary while anything is overdue.
      </p>
      <h2>Overdue ({props.overdue.length})</h2>
      <ObligationTable caption="Overdue reviews and decisions" rows={props.overdue} late />
      <h2>Due within 30 days ({props.dueSoon.length})</h2>
      <ObligationTable caption="Reviews and decisions due within 30 days" rows={props.dueSoon} late={false} />
      <h2>
        {NEEDS_ANOTHER_APPROVER} ({props.stalled.length})
      </h2>
      {props.stalled.length === 0 ? (
        <p>Every review under way has someone other than its author who may decide the next step.</p>
      ) : (
        <>
          <p>
            Only the program's own lead holds the role that decides the next step: give it to someone else.
          </p>
          <ul>
            {props.stalled.map((p) => (
              <li key={p.id}>
                <a href={`/programs/${p.id}`}>{p.title}</a>: {p.step?.name ?? 'pilot decision'}, proposed by{' '}
                {p.lead_name ?? 'the lead'}
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
