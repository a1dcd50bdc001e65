import type { LearnerStatus } from '../platform/db/schema.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { FilterSearch } from '../platform/http/filters.tsx';
import { CsrfField, ErrorSummary } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { enrolmentPathHeadings } from '../programs/program-vocabulary.ts';
import { awardStatusLabels } from '../progress/award-status.ts';
import type { CompletionImportsService } from './completion-imports.service.ts';
import { completionSourceLabel } from './completion-sources.ts';
import { ImportsTable } from './imports-table.tsx';
import { learnerLinksFor } from './learners.policy.ts';
import type { LearnersService } from './learners.service.ts';
import { AccountLinkSection, type AccountPanel, linkingLabels } from './record-linking.views.tsx';

type Found = Awaited<ReturnType<LearnersService['searchLearners']>>;
type RecordView = Awaited<ReturnType<LearnersService['learnerRecord']>>;
type Touching = Awaited<ReturnType<CompletionImportsService['importsTouching']>>;

export const learnerStatusLabels: { [S in LearnerStatus]: string } = {
  degree_seeking: 'Degree-seeking',
  non_degree_seeking: 'Non-degree',
  current: 'Current student',
  returning: 'Returning student',
};

const enrolmentStatusLabels = { active: 'Active', withdrawn: 'Withdrawn', completed: 'Completed' } as const;

/** Links between the staff pages of this module, shown on each of them. */
export function StaffLinks({ ctx }: { ctx: PageContext }) {
  const links = learnerLinksFor(ctx.actor);
  return (
    <nav aria-label="Learner records" class="tags staff-links">
      <a href="/learners">Find a learner</a>
      {links.canImportCompletions ? <a href="/learners/imports">Import completions</a> : null}
      {links.canDecideReactivations ? <a href="/learners/reactivations">Reactivation requests</a> : null}
    </nav>
  );
}

/** `/learners`: search learner records by name, e-mail or student ID. */
export function LearnersPage(props: { ctx: PageContext; q?: string; learners: Found }) {
  const { ctx, q, learners } = props;
  return (
    <Layout ctx={ctx} title="Learners">
      <StaffLinks ctx={ctx} />
      <h1>Learners</h1>
      {learnerLinksFor(ctx.actor).seesEveryLearner ? null : (
        <p>You see the learners enrolled in the programs you lead.</p>
      )}
      <form method="get" action="/learners" class="filters" aria-label="Find a learner">
        <FilterSearch name="q" label="Name, e-mail or student ID" value={q} />
        <button type="submit" class="button button-secondary">
          Search
        </button>
      </form>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">
            {q ? `Learners matching “${q}”` : 'Learners'} ({learners.length}
            {learners.length === 200 ? ' shown; refine the search to see others' : ''})
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Student ID</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Active enrolments</th>
            </tr>
          </thead>
          <tbody>
            {learners.length === 0 ? (
              <tr>
                <td colSpan={5}>
                  {q
                    ? 'No learner matches this search.'
                    : 'No learner records yet. A record is made when a learner enrols, or when the student system sends it through the API.'}
                </td>
              </tr>
            ) : (
              learners.map((l) => (
                <tr key={l.id}>
                  <td>
                    <a href={`/learners/${l.id}`}>{l.name}</a>
                  </td>
                  <td>{l.studentId}</td>
                  <td>{l.email}</td>
                  <td>{learnerStatusLabels[l.status]}</td>
                  <td>{Number(l.activeEnrolments)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

const identityLabels = { identityVerified: 'The identity box' };

/** Staff confirm a typed-in student ID once they have checked the person against the student system. */
function ConfirmIdentityForm({ ctx, learnerId }: { ctx: PageContext; learnerId: string }) {
  return (
    <form method="post" action={`/learners/${learnerId}/identity`} class="stack">
      <CsrfField token={ctx.csrfToken} />
      <div>
        <input type="checkbox" id="identityVerified" name="identityVerified" value="yes" required />{' '}
        <label for="identityVerified" class="checkbox-label">
          I have verified this person's identity: the student system's record for this student ID is theirs
        </label>
      </div>
      <div>
        <button type="submit">Confirm the student ID</button>
      </div>
    </form>
  );
}

/** `/learners/<id>`: one learner's record, enrolments, completions and the imports that mention them. */
export function LearnerRecordPage(props: {
  ctx: PageContext;
  record: RecordView;
  imports: Touching | null;
  canConfirmIdentity?: boolean;
  /** Why a person who confirms identities may not confirm this one (their own record), if so. */
  ownRecordRefusal?: string | undefined;
  accountPanel: AccountPanel;
  notice?: string;
  errors?: FieldProblem[];
}) {
  const { ctx, record, imports } = props;
  const { learner, enrolments, completions } = record;
  return (
    <Layout ctx={ctx} title={learner.name}>
      <StaffLinks ctx={ctx} />
      <h1>{learner.name}</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={props.errors ?? []} labels={{ ...identityLabels, ...linkingLabels }} />
      <dl class="facts">
        <dt>Student ID</dt>
        <dd>
          {learner.studentId}
          {learner.identityConfirmed ? null : (
            <Notice kind="warn">
              <p>
                Identity not confirmed: the learner typed this student ID in, and the student system has not
                yet given it with their e-mail. Imported completions for this ID are held back (see the import
                reports) until it does, or until staff confirm the identity.
              </p>
              {props.canConfirmIdentity ? (
                <ConfirmIdentityForm ctx={ctx} learnerId={learner.id} />
              ) : props.ownRecordRefusal ? (
                <p>{props.ownRecordRefusal}</p>
              ) : null}
            </Notice>
          )}
        </dd>
        <dt>E-mail</dt>
        <dd>{learner.email}</dd>
        <dt>Status</dt>
        <dd>{learnerStatusLabels[learner.status]}</dd>
        <dt>Account</dt>
        <dd>{learner.userId ? 'Linked to a sign-in account' : 'No sign-in account linked'}</dd>
        <dt>Record created</dt>
        <dd>{formatDay(learner.createdAt)}</dd>
      </dl>

      <AccountLinkSection ctx={ctx} learnerId={learner.id} panel={props.accountPanel} errors={props.errors} />

      {record.isNarrowed ? (
        <p>
          You see the part of this record that concerns the programs you lead: their enrolments and the
          completions of their courses. The records offices see the rest.
        </p>
      ) : null}
      <h2>Enrolments</h2>
      {enrolments.length === 0 ? (
        <p>Not enrolled in any micro-credential.</p>
      ) : (
        // On a phone the table scrolls sideways; the keyboard must reach it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable so keyboards can scroll it.
        <section class="table-wrap" tabIndex={0} aria-label="Enrolments">
          <table>
            <caption class="visually-hidden">Enrolments</caption>
            <thead>
              <tr>
                <th scope="col">Micro-credential</th>
                <th scope="col">How they joined</th>
                <th scope="col">Enrolled on</th>
                <th scope="col">Status</th>
                <th scope="col">Badge</th>
              </tr>
            </thead>
            <tbody>
              {enrolments.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/catalog/${e.slug}`}>{e.title}</a>
                  </td>
                  <td>{enrolmentPathHeadings[e.path]}</td>
                  <td class="nowrap">{formatDay(e.enrolledOn)}</td>
                  <td>{enrolmentStatusLabels[e.status]}</td>
                  <td>{awardStatusLabels[e.awardStatus]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <h2>Course completions</h2>
      {completions.length === 0 ? (
        <p>No completions recorded yet.</p>
      ) : (
        // On a phone the table scrolls sideways; the keyboard must reach it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable so keyboards can scroll it.
        <section class="table-wrap" tabIndex={0} aria-label="Course completions">
          <table>
            <caption class="visually-hidden">Course completions</caption>
            <thead>
              <tr>
                <th scope="col">Course</th>
                <th scope="col">Term</th>
                <th scope="col">Grade</th>
                <th scope="col">Credits</th>
                <th scope="col">Completed on</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {completions.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>{c.courseCode}</strong>
                    {c.courseTitle ? <div class="muted">{c.courseTitle}</div> : null}
                  </td>
                  <td>{c.term}</td>
                  <td>{c.grade}</td>
                  <td>{c.credits}</td>
                  <td class="nowrap">
                    {formatDay(c.completedOn)}
                    {c.isPendingTermEnd ? (
                      <div class="muted">Graded, pending term end: counts from this day</div>
                    ) : null}
                  </td>
                  <td>{completionSourceLabel(c.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {imports ? (
        <>
          <h2>Imports that mention this learner</h2>
          {imports.length === 0 ? (
            <p>No completions import has mentioned this learner.</p>
          ) : (
            <ImportsTable caption="Imports that mention this learner, newest first" imports={imports} />
          )}
        </>
      ) : null}
    </Layout>
  );
}
