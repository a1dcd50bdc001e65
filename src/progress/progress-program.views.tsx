import type { FieldProblem } from '../platform/errors.ts';
import { FilterSearch, FilterSelect, Pager } from '../platform/http/filters.tsx';
import { CsrfField, ErrorSummary } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { awardStatusLabels } from './award-status.ts';
import { type ProgressState, progressStates } from './enrolment-progress.ts';
import type { ProgramFilter, ProgressService } from './progress.service.ts';
import {
  Checklist,
  formatDay,
  ProgressMeter,
  requestLabels,
  SavedNotice,
  StateTag,
  stateLabels,
  TextArea,
} from './progress-parts.tsx';

type ProgramsList = Awaited<ReturnType<ProgressService['listOverseenPrograms']>>;
type ProgramView = Awaited<ReturnType<ProgressService['programView']>>;
type LearnerDetail = Awaited<ReturnType<ProgressService['learnerInProgram']>>;

/** Learners per page of the program view. */
export const learnersPerPage = 50;

/** `/progress/programs`: the programs whose learners this person oversees. */
export function ProgramsIndexPage({ ctx, programs }: { ctx: PageContext; programs: ProgramsList }) {
  return (
    <Layout ctx={ctx} title="Learner progress">
      <h1>Learner progress</h1>
      <p>
        Pick a program to see where each enrolled learner stands. Badge requests from all your programs are on{' '}
        <a href="/progress/requests">the badge requests page</a>.
      </p>
      {programs.length === 0 ? (
        <p>No program you oversee has learners yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Programs and their learners</caption>
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col">Learners</th>
                <th scope="col">Badge requests waiting</th>
              </tr>
            </thead>
            <tbody>
              {programs.map((program) => (
                <tr key={program.slug}>
                  <th scope="row">
                    <a href={`/progress/programs/${program.slug}`}>{program.title}</a>
                  </th>
                  <td>{Number(program.learners)}</td>
                  <td>{Number(program.waiting)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function filterQuery(filter: ProgramFilter, page?: number): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.q) params.set('q', filter.q);
  if (page !== undefined && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** `/progress/programs/:slug`: every enrolled learner with their status, filters, export and requests. */
export function ProgramProgressPage(props: {
  ctx: PageContext;
  data: ProgramView;
  filter: ProgramFilter;
  page: number;
}) {
  const { ctx, data, filter, page } = props;
  const base = `/progress/programs/${data.program.slug}`;
  const pages = Math.max(1, Math.ceil(data.matching.length / learnersPerPage));
  const shown = data.matching.slice((page - 1) * learnersPerPage, page * learnersPerPage);
  return (
    <Layout ctx={ctx} title={`${data.program.title}: learner progress`}>
      <p class="muted">
        <a href="/progress/programs">Learner progress</a>
      </p>
      <h1>{data.program.title}: learner progress</h1>
      <p>
        {data.total === 1 ? '1 learner is' : `${data.total} learners are`} enrolled. Progress is evaluated
        live as of {formatDay(data.asOf)}
        {data.program.leadName ? `; the program lead is ${data.program.leadName}` : ''}.
      </p>
      <h2>Where learners stand</h2>
      <ul class="state-counts">
        {progressStates
          .filter((state) => state !== 'unreadable' || data.counts.unreadable > 0)
          .map((state) => (
            <li key={state}>
              <a href={`${base}${filterQuery({ status: state })}`}>
                {stateLabels[state]}: <strong>{data.counts[state]}</strong>
              </a>
            </li>
          ))}
      </ul>
      <h2>Badge requests waiting ({data.waiting.length})</h2>
      {data.waiting.length === 0 ? (
        <p>No request is waiting for a decision.</p>
      ) : (
        <>
          <ul>
            {data.waiting.map((learner) => (
              <li key={learner.learnerId}>
                {learner.name} ({learner.studentId}), asked on {formatDay(learner.request!.requestedAt)}
              </li>
            ))}
          </ul>
          <p>
            <a class="button" href={`/progress/requests?program=${data.program.slug}`}>
              Review these requests
            </a>
          </p>
        </>
      )}
      <h2 id="learners">Learners</h2>
      <form method="get" action={base} class="filters" aria-label="Filter the learners">
        <FilterSelect
          name="status"
          label="Status"
          any="Any status"
          options={progressStates.map((state) => ({ value: state, label: stateLabels[state] }))}
          value={filter.status}
        />
        <FilterSearch name="q" label="Search" value={filter.q} placeholder="Name, e-mail or student ID" />
        <div>
          <button type="submit">Show learners</button>
        </div>
      </form>
      <p>
        {data.matching.length === data.total
          ? `Showing all ${data.total}.`
          : `${data.matching.length} of ${data.total} match.`}{' '}
        {filter.status || filter.q ? <a href={base}>Clear filters</a> : null}{' '}
        <a href={`${base}/export.csv${filterQuery(filter)}`} download>
          Download these as CSV
        </a>
      </p>
      {shown.length === 0 ? (
        <p>No learner matches these filters.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Learners in {data.program.title}</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Where they stand</th>
                <th scope="col">Badge</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((learner) => (
                <tr key={learner.learnerId}>
                  <th scope="row">
                    <a href={`${base}/learners/${learner.learnerId}`}>{learner.name}</a>
                    <br />
                    <span class="muted">{learner.studentId}</span>
                  </th>
                  <td>
                    <StateTag state={learner.progress.status} />
                  </td>
                  <td>
                    <ProgressMeter percent={learner.progress.percent} label={`Progress of ${learner.name}`} />
                  </td>
                  <td>{learner.progress.explanation}</td>
                  <td>{awardStatusLabels[learner.awardStatus]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Pages of learners"
        page={page}
        pages={pages}
        href={(to) => `${base}${filterQuery(filter, to)}#learners`}
        previous="Previous page"
        next="Next page"
        showPosition
      />
    </Layout>
  );
}

export interface EvidenceDraft {
  form: 'experience' | 'substitution';
  errors: FieldProblem[];
  values: Record<string, string>;
}

/** `/progress/programs/:slug/learners/:id`: one learner, with sign-off and substitution forms. */
export function LearnerInProgramPage(props: {
  ctx: PageContext;
  data: LearnerDetail;
  notice?: string;
  draft?: EvidenceDraft;
}) {
  const { ctx, data, draft } = props;
  const base = `/progress/programs/${data.program.slug}/learners/${data.learner.id}`;
  const signed = new Map(data.experiences.map((experience) => [experience.key, experience]));
  const unsigned = data.experienceOptions.filter((option) => !signed.has(option.key));
  const errorsFor = (form: EvidenceDraft['form']) => (draft?.form === form ? draft.errors : []);
  const draftValue = (form: EvidenceDraft['form'], field: string) =>
    draft?.form === form ? draft.values[field] : undefined;
  const fieldError = (form: EvidenceDraft['form'], field: string) =>
    errorsFor(form).find((problem) => problem.field === field);
  const waiting = data.requests.find((request) => request.status === 'requested');
  return (
    <Layout ctx={ctx} title={`${data.learner.name}: ${data.program.title}`}>
      <p class="muted">
        <a href={`/progress/programs/${data.program.slug}`}>{data.program.title}: learner progress</a>
      </p>
      <h1>{data.learner.name}</h1>
      <SavedNotice message={props.notice} />
      <dl class="facts">
        <dt>Program</dt>
        <dd>{data.program.title}</dd>
        <dt>Student ID</dt>
        <dd>{data.learner.studentId}</dd>
        <dt>E-mail</dt>
        <dd>{data.learner.email}</dd>
        <dt>Enrolled</dt>
        <dd>{formatDay(data.enrolment.enrolledOn)}</dd>
        <dt>Status</dt>
        <dd>
          <StateTag state={data.progress.status} /> (last activity {formatDay(data.progress.lastActivityOn)})
        </dd>
      </dl>
      <h2>Progress as of {formatDay(data.asOf)}</h2>
      <ProgressMeter percent={data.progress.percent} label={`Progress of ${data.learner.name}`} />
      <p>{data.progress.explanation}</p>
      <Checklist items={data.progress.requirements} />

      <h2>Badge requests</h2>
      {data.requests.length === 0 ? (
        <p>No badge request yet.</p>
      ) : (
        <ul>
          {data.requests.map((request) => (
            <li key={request.id}>
              Asked {formatDay(request.requestedAt)}: {requestLabels[request.status]}
              {request.decidedByName ? ` (${request.decidedByName})` : ''}
              {request.comment ? ` — “${request.comment}”` : ''}
            </li>
          ))}
        </ul>
      )}
      {waiting ? (
        <p>
          <a class="button" href={`/progress/requests?program=${data.program.slug}#request-${waiting.id}`}>
            Review the waiting request
          </a>
        </p>
      ) : null}

      {data.experienceOptions.length > 0 ? (
        <>
          <h2>Applied experiences</h2>
          <ul>
            {data.experienceOptions.map((option) => {
              const done = signed.get(option.key);
              return (
                <li key={option.key}>
                  <strong>{option.name}</strong>:{' '}
                  {done
                    ? `signed off by ${done.signedOffBy}, completed ${formatDay(done.signedOffOn)}${done.note ? ` (${done.note})` : ''}`
                    : 'not signed off yet'}
                </li>
              );
            })}
          </ul>
          {unsigned.length > 0 ? (
            <form method="post" action={`${base}/experiences`} class="stack">
              <h3>Sign off an experience</h3>
              <ErrorSummary errors={errorsFor('experience')} />
              <CsrfField token={ctx.csrfToken} />
              <div>
                <label for="key">Experience</label>
                <select id="key" name="key">
                  {unsigned.map((option) => (
                    <option
                      key={option.key}
                      value={option.key}
                      selected={draftValue('experience', 'key') === option.key}
                    >
                      {option.name}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label for="signedOffOn">
                  Completed on<span class="hint">The day the learner finished the experience.</span>
                </label>
                <input
                  id="signedOffOn"
                  name="signedOffOn"
                  type="date"
                  required
                  max={data.asOf}
                  value={draftValue('experience', 'signedOffOn') ?? data.asOf}
                  aria-invalid={fieldError('experience', 'signedOffOn') ? 'true' : undefined}
                />
                {fieldError('experience', 'signedOffOn') ? (
                  <p class="field-error">Completed on {fieldError('experience', 'signedOffOn')!.reason}.</p>
                ) : null}
              </div>
              <TextArea
                id="note"
                name="note"
                label="Note (optional)"
                hint="For example the placement, the supervisor or where the evidence is kept."
                value={draftValue('experience', 'note')}
                error={fieldError('experience', 'note')}
              />
              <div>
                <button type="submit">Sign off</button>
              </div>
            </form>
          ) : null}
        </>
      ) : null}

      <h2>Course substitutions</h2>
      {data.substitutions.length === 0 ? (
        <p>No substitution approved for this learner in this program.</p>
      ) : (
        <ul>
          {data.substitutions.map((substitution) => (
            <li key={substitution.id}>
              {substitution.substituteCourse} counts as {substitution.requiredCourse}, approved by{' '}
              {substitution.approvedBy} on {formatDay(substitution.createdAt)}: {substitution.reason}
            </li>
          ))}
        </ul>
      )}
      {data.courseOptions.length > 0 ? (
        <form method="post" action={`${base}/substitutions`} class="stack">
          <h3>Approve a substitution</h3>
          <ErrorSummary errors={errorsFor('substitution')} />
          <CsrfField token={ctx.csrfToken} />
          <div>
            <label for="requiredCourse">Required course</label>
            <select id="requiredCourse" name="requiredCourse">
              {data.courseOptions.map((course) => (
                <option
                  key={course.code}
                  value={course.code}
                  selected={draftValue('substitution', 'requiredCourse') === course.code}
                >
                  {course.title ? `${course.code} ${course.title}` : course.code}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="substituteCourse">
              Substitute course
              <span class="hint">The course code the learner took instead, e.g. COMM 345.</span>
            </label>
            <input
              id="substituteCourse"
              name="substituteCourse"
              type="text"
              required
              maxLength={32}
              value={draftValue('substitution', 'substituteCourse') ?? ''}
              aria-invalid={fieldError('substitution', 'substituteCourse') ? 'true' : undefined}
            />
            {fieldError('substitution', 'substituteCourse') ? (
              <p class="field-error">
                Substitute course {fieldError('substitution', 'substituteCourse')!.reason}.
              </p>
            ) : null}
          </div>
          <TextArea
            id="reason"
            name="reason"
            label="Reason"
            hint="Why the substitute covers the same outcomes. The learner's record keeps it."
            value={draftValue('substitution', 'reason')}
            error={fieldError('substitution', 'reason')}
            required
          />
          <div>
            <button type="submit">Approve the substitution</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

export function isProgressState(value: string | undefined): value is ProgressState {
  return value !== undefined && (progressStates as readonly string[]).includes(value);
}
