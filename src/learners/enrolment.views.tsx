import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field, FieldError } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';
import { enrolmentPathActions, enrolmentPathHeadings } from '../programs/program-vocabulary.ts';
import type { Admissions, LearnersService } from './learners.service.ts';

export type EnrolmentState = Awaited<ReturnType<LearnersService['enrolmentState']>>;

export interface EnrolForm {
  name?: string;
  email?: string;
  studentId?: string;
  noAid?: boolean;
  lastTerm?: string;
  reason?: string;
}

export interface EnrolPageProps {
  ctx: PageContext;
  state: EnrolmentState;
  path: EnrolmentPath | undefined;
  /** A message about the request just made: success, or why nothing was done. */
  notice?: { kind: 'ok' | 'warn' | 'bad'; text: string };
  errors?: FieldProblem[];
  form?: EnrolForm;
}

/** The fields' labels as the summary of problems names them. */
const fieldLabels = {
  name: 'Full name',
  email: 'E-mail address',
  studentId: 'Student ID',
  noAid: 'The financial aid box',
  lastTerm: 'Last term you attended',
  reason: 'The reason',
};

/** `/enrol/<slug>`: one program, the person's standing with it, and the form for the chosen path. */
export function EnrolPage(props: EnrolPageProps) {
  const { ctx, state, path, notice } = props;
  const { program } = state;
  const active = state.enrolment && state.enrolment.status !== 'withdrawn' ? state.enrolment : null;
  return (
    <Layout ctx={ctx} title={`Enrol: ${program.title}`}>
      <p>
        <a href={`/catalog/${program.slug}`}>Back to {program.title}</a>
      </p>
      <h1>Enrol in {program.title}</h1>
      {notice && !active && state.isOpen ? (
        <Notice kind={notice.kind} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          <p>{notice.text}</p>
        </Notice>
      ) : null}
      {active ? (
        // One message about where the person stands: what just happened if anything, otherwise the standing.
        <Notice kind={notice?.kind ?? 'ok'} role={notice && notice.kind !== 'ok' ? 'alert' : 'status'}>
          <p>
            {notice?.text ??
              (active.status === 'completed'
                ? `You completed ${program.title}.`
                : `You are enrolled in ${program.title}, since ${formatDay(active.enrolledOn)}.`)}{' '}
            {/* The next step is the program's requirements and what is met, not the home page's list of links. */}
            <a href="/progress">See your progress</a>.
          </p>
        </Notice>
      ) : !state.isOpen ? (
        <Notice kind="warn" role="alert">
          <p>
            {program.title} is not open for enrolment at the moment. <a href="/catalog">Browse the catalog</a>{' '}
            for programs that are.
          </p>
        </Notice>
      ) : path && program.enrolmentPaths.includes(path) ? (
        <PathSection {...props} path={path} />
      ) : (
        <PathChoice state={state} />
      )}
    </Layout>
  );
}

/**
 * A new student's way in: the institution's admissions page, or whom to ask how to apply while it has set none
 * (never a guessed address). The visitors' page shows it too.
 */
export function ApplyForAdmission({ admissions }: { admissions: Admissions }) {
  return admissions.url ? (
    <p>
      <a class="button button-small" href={admissions.url}>
        {enrolmentPathActions.new}
      </a>
    </p>
  ) : (
    <p>
      Write to <a href={`mailto:${admissions.askAt}`}>{admissions.askAt}</a> to ask how to apply.
    </p>
  );
}

function PathChoice({ state }: { state: EnrolmentState }) {
  const { program } = state;
  return (
    <>
      <p>Choose how you are joining {program.title}.</p>
      <ul class="cards">
        {program.enrolmentPaths.map((path) => (
          <li class="card" key={path}>
            <h2>{enrolmentPathHeadings[path]}</h2>
            {path === 'new' ? (
              <ApplyForAdmission admissions={state.admissions} />
            ) : (
              <p>
                <a class="button button-small" href={`/enrol/${program.slug}?path=${path}`}>
                  {enrolmentPathActions[path]}
                </a>
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function PathSection(props: EnrolPageProps & { path: EnrolmentPath }) {
  const { state, path } = props;
  const heading = <h2>{enrolmentPathHeadings[path]}</h2>;
  if (path === 'new') {
    return (
      <>
        {heading}
        <p>
          New students apply to the university first; once admitted, come back and enrol as a current student.
        </p>
        <ApplyForAdmission admissions={state.admissions} />
      </>
    );
  }
  if (path === 'current') return <CurrentSection {...props} />;
  if (path === 'non_degree') return <NonDegreeSection {...props} />;
  return <ReturningSection {...props} />;
}

function LearnerFacts({ state }: { state: EnrolmentState }) {
  const learner = state.learner!;
  return (
    <dl class="facts">
      <dt>Name</dt>
      <dd>{learner.name}</dd>
      <dt>Student ID</dt>
      <dd>{learner.studentId}</dd>
      <dt>E-mail</dt>
      <dd>{learner.email}</dd>
    </dl>
  );
}

function CurrentSection({ ctx, state }: EnrolPageProps) {
  const { program } = state;
  if (!state.learner) {
    return (
      <>
        <h2>{enrolmentPathHeadings.current}</h2>
        <Notice kind="info">
          <p>
            Your account is not linked to a student record yet, so you cannot enrol as a current student. Ask
            the registrar to link your record, or{' '}
            {program.enrolmentPaths.includes('non_degree') ? (
              <a href={`/enrol/${program.slug}?path=non_degree`}>enrol as a non-degree learner</a>
            ) : (
              'choose another way to enrol'
            )}
            .
          </p>
        </Notice>
      </>
    );
  }
  return (
    <>
      <h2>{enrolmentPathHeadings.current}</h2>
      <p>You are joining with your student record:</p>
      <LearnerFacts state={state} />
      <EnrolmentForm ctx={ctx} state={state} path="current" button={`Enrol in ${program.title}`} />
    </>
  );
}

/** The form of one enrolment path: it posts the path, the fields given and the person's CSRF token. */
function EnrolmentForm(props: {
  ctx: PageContext;
  state: EnrolmentState;
  path: Exclude<EnrolmentPath, 'new'>;
  button: string;
  children?: ComponentChildren;
}) {
  return (
    <form method="post" action={`/enrol/${props.state.program.slug}`} class="stack">
      <CsrfField token={props.ctx.csrfToken} />
      <input type="hidden" name="path" value={props.path} />
      {props.children}
      <div>
        <button type="submit">{props.button}</button>
      </div>
    </form>
  );
}

/** The learner's name, for a person who has no learner record yet. */
function NameField({ ctx, form, errors }: { ctx: PageContext; form: EnrolForm; errors: FieldProblem[] }) {
  return (
    <Field
      name="name"
      label={fieldLabels.name}
      value={form.name ?? ctx.actor!.name}
      required
      autocomplete="name"
      errors={errors}
    />
  );
}

function NonDegreeSection({ ctx, state, errors = [], form = {} }: EnrolPageProps) {
  const { program } = state;
  const actor = ctx.actor!;
  const noAidError = errors.some((e) => e.field === 'noAid');
  return (
    <>
      <h2>{enrolmentPathHeadings.non_degree}</h2>
      <p>
        Take only the courses this micro-credential needs, without applying for a degree. Tuition for each
        course is charged as usual, and the badge fee is charged when the badge is issued.
      </p>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <EnrolmentForm ctx={ctx} state={state} path="non_degree" button={`Enrol in ${program.title}`}>
        {state.learner ? (
          <>
            <p>You are enrolling with your learner record:</p>
            <LearnerFacts state={state} />
          </>
        ) : (
          <>
            <NameField ctx={ctx} form={form} errors={errors} />
            <Field
              name="email"
              label={fieldLabels.email}
              type="email"
              value={form.email ?? actor.email}
              required
              autocomplete="email"
              errors={errors}
            />
            <Field
              name="studentId"
              label="Student ID (optional)"
              value={form.studentId}
              hint="If you studied here before, give the ID you had. Leave it blank and we will assign you one."
              errors={errors}
            />
          </>
        )}
        <div>
          <input
            type="checkbox"
            id="noAid"
            name="noAid"
            value="yes"
            checked={form.noAid}
            required
            aria-invalid={noAidError ? 'true' : undefined}
            aria-describedby={noAidError ? 'noAid-error' : undefined}
          />{' '}
          <label for="noAid" class="checkbox-label">
            I understand that financial aid does not cover courses taken as a non-degree learner.
          </label>
          <FieldError name="noAid" label="This box" errors={errors} />
        </div>
      </EnrolmentForm>
    </>
  );
}

function ReturningSection({ ctx, state, errors = [], form = {} }: EnrolPageProps) {
  const { program } = state;
  const pending = state.pendingReactivation;
  if (pending) {
    return (
      <>
        <h2>{enrolmentPathHeadings.returning}</h2>
        <Notice kind="info" role="status">
          <p>
            You asked to return on {formatDay(pending.createdAt)}. Staff will reply by e-mail once they have
            looked at your record.
          </p>
        </Notice>
      </>
    );
  }
  const reasonError = errors.find((e) => e.field === 'reason');
  return (
    <>
      <h2>{enrolmentPathHeadings.returning}</h2>
      <p>
        If you have been away from the university for a while, your student record needs to be reactivated
        before you can enrol. Tell us when you last studied here; staff check your record and reply by e-mail.
      </p>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <EnrolmentForm ctx={ctx} state={state} path="returning" button={`Ask to return to ${program.title}`}>
        {state.learner ? (
          <LearnerFacts state={state} />
        ) : (
          <>
            <NameField ctx={ctx} form={form} errors={errors} />
            <Field
              name="studentId"
              label="Your student ID"
              value={form.studentId}
              hint="The ID you had when you studied here; it is on old transcripts and student cards."
              required
              errors={errors}
            />
          </>
        )}
        <Field
          name="lastTerm"
          label={fieldLabels.lastTerm}
          value={form.lastTerm}
          hint="A year and a season, for example 2021 Spring."
          required
          errors={errors}
        />
        <div>
          <label for="reason">
            Why you are returning
            <span class="hint" id="reason-hint">
              A few sentences for the staff who review your request.
            </span>
          </label>
          <textarea
            id="reason"
            name="reason"
            required
            maxLength={2000}
            aria-invalid={reasonError ? 'true' : undefined}
            aria-describedby={reasonError ? 'reason-hint reason-error' : 'reason-hint'}
          >
            {form.reason ?? ''}
          </textarea>
          <FieldError name="reason" label={fieldLabels.reason} errors={errors} />
        </div>
      </EnrolmentForm>
    </>
  );
}
