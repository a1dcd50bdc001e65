import type { FieldProblem } from '../platform/errors.ts';
import { Chart, FigureTableView } from '../platform/http/figure-table.tsx';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { PrintLayout } from '../platform/http/print-layout.tsx';
import { TextArea } from './form-controls.tsx';
import { formatMoment } from './format.ts';
import { ProblemSummary } from './program-form.views.tsx';
import type { ReviewPage } from './program-reviews.service.ts';
import type { ReviewAnswers } from './review-kinds.ts';
import { WrittenAnswers } from './written-answers.tsx';

const addressOf = (page: ReviewPage) =>
  `/programs/${page.program.id}/${page.kind.segment}/${page.period.number}`;

/** A review of either kind: its period, the figures of the period, and the lead's narrative (a form while open). */
export function ReviewFormPage(props: {
  ctx: PageContext;
  page: ReviewPage;
  answers?: Partial<ReviewAnswers>;
  errors?: FieldProblem[];
  message?: string | undefined;
  notice?: string | undefined;
}) {
  const { ctx, page } = props;
  const { program, period, kind } = page;
  const heading = `${kind.heading(period.number)}: ${program.title}`;
  const answers = { ...page.answers, ...props.answers };
  const errors = props.errors ?? [];
  return (
    <Layout ctx={ctx} title={heading}>
      <p>
        <a href={`/programs/${program.id}`}>Back to {program.title}</a>
      </p>
      <h1>{heading}</h1>
      <p>
        {period.description}. Due <strong class="nowrap">{formatDay(period.dueOn)}</strong>
        {page.overdue ? <strong class="overdue"> (overdue)</strong> : null}.
      </p>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      {page.submittedAt ? (
        <Notice kind="info">
          <p>
            Submitted by {page.submittedBy ?? 'the program lead'} on {formatMoment(page.submittedAt)}. The
            figures below are as they stood then. <a href={`${addressOf(page)}/print`}>Printable version</a>
          </p>
        </Notice>
      ) : null}
      <ProblemSummary errors={errors} message={props.message} />
      <ReviewFigures page={page} />
      <h2>Your review</h2>
      {page.canEdit ? (
        <form method="post" action={addressOf(page)} class="stack wide">
          <CsrfField token={ctx.csrfToken} />
          {kind.questions.map((q) => (
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
        <WrittenAnswers questions={page.kind.questions} answers={answers} />
      )}
    </Layout>
  );
}

/** A submitted review on paper: no site navigation, figures and answers as they were submitted. */
export function PrintableReviewPage({ ctx, page }: { ctx: PageContext; page: ReviewPage }) {
  const { program, period, kind } = page;
  const heading = `${kind.heading(period.number)}: ${program.title}`;
  return (
    <PrintLayout ctx={ctx} title={heading} back={{ href: addressOf(page), label: 'Back to the review' }}>
      <h1>{heading}</h1>
      <p>
        {period.description}. Due {formatDay(period.dueOn)}. Submitted by{' '}
        {page.submittedBy ?? 'the program lead'} on {formatMoment(page.submittedAt)}.
      </p>
      <ReviewFigures page={page} />
      <h2>The review</h2>
      <WrittenAnswers questions={page.kind.questions} answers={page.answers} />
    </PrintLayout>
  );
}

/** The period's figures: the enrolment counts from the records, then the program's figures and charts. */
function ReviewFigures({ page }: { page: ReviewPage }) {
  const { figures, programFigures, kind } = page;
  return (
    <>
      <h2>From the records</h2>
      {figures ? (
        <dl class="facts">
          <dt>New enrolments {kind.figureWords}</dt>
          <dd>{figures.newEnrolments}</dd>
          <dt>Active enrolments</dt>
          <dd>{figures.activeEnrolments}</dd>
          <dt>Completed the program</dt>
          <dd>{figures.completedEnrolments}</dd>
          <dt>Course completions {kind.figureWords}</dt>
          <dd>{figures.courseCompletions}</dd>
        </dl>
      ) : null}
      <h2>How the program did {kind.figureWords}</h2>
      {programFigures ? (
        <>
          <p>
            Learners who enrolled from {formatDay(page.period.startsOn)} to {formatDay(page.period.endsOn)},
            and badges completed in those dates; where learners stand is as of {programFigures.asOf}.
          </p>
          {programFigures.svgs.length > 0 ? (
            <div class="review-charts">
              {programFigures.svgs.map((svg, i) => (
                <Chart key={programFigures.charts[i]!.title} svg={svg} fallback="" />
              ))}
            </div>
          ) : (
            <p class="muted">Nobody enrolled or completed in this period, so there is nothing to chart.</p>
          )}
          <div class="review-tables">
            {/* A table with no rows (no terms, nobody still working) says nothing; the others show zeros. */}
            {programFigures.tables
              .filter((table) => table.rows.length > 0)
              .map((table) => (
                <FigureTableView key={table.caption} table={table} />
              ))}
          </div>
        </>
      ) : (
        <p class="muted">
          This review was submitted before the program’s figures were kept with reviews; the counts above are
          those it kept.
        </p>
      )}
    </>
  );
}
