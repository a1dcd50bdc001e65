import { FilterSearch, FilterSelect, Pager } from '../platform/http/filters.tsx';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { countOf } from '../platform/words.ts';
import { levelLabels } from '../programs/program-vocabulary.ts';
import { type CourseStatus, courseStatuses, courseStatusLabels } from './course-vocabulary.ts';
import type { AcademicStructureService } from './structure.service.ts';
import { StructureLinks } from './structure.views.tsx';
import { courseFields, type FailedForm, RecordForm, SavedNotice } from './structure-parts.tsx';

type CourseList = Awaited<ReturnType<AcademicStructureService['courses']>>;
type OneCourse = Awaited<ReturnType<AcademicStructureService['course']>>;

export interface CourseQuery {
  q?: string;
  status?: CourseStatus;
  page: number;
}

const statusOptions = courseStatuses.map((s) => ({ value: s, label: courseStatusLabels[s] }));
const courseHref = (code: string) => `/admin/courses/${encodeURIComponent(code)}`;

function listHref(query: CourseQuery, page: number) {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  params.set('page', String(page));
  return `/admin/courses?${params}`;
}

/** The registrar's course list: search, a filter for proposed courses to confirm, and pages of 25. */
export function CoursesPage(props: {
  ctx: PageContext;
  list: CourseList;
  query: CourseQuery;
  notice?: string;
}) {
  const { ctx, list, query } = props;
  return (
    <Layout ctx={ctx} title="Courses">
      <h1>Courses</h1>
      <StructureLinks kind="courses" canImport={list.canImport} />
      <SavedNotice>{props.notice}</SavedNotice>
      {list.proposedCount > 0 ? (
        <Notice kind="warn" as="p">
          {list.proposedCount === 1 ? '1 course was' : `${list.proposedCount} courses were`} named in program
          proposals before the catalog had them.{' '}
          <a href="/admin/courses?status=proposed">Review the proposed courses</a>
        </Notice>
      ) : null}
      {list.canChange ? (
        <p>
          <a class="button" href="/admin/courses/new">
            Add a course
          </a>
        </p>
      ) : null}
      <form method="get" action="/admin/courses" class="filters" aria-label="Find courses">
        <FilterSearch name="q" label="Code, title or department" value={query.q} />
        <FilterSelect name="status" label="Standing" any="Any" options={statusOptions} value={query.status} />
        <button type="submit" class="button button-secondary">
          Find
        </button>
      </form>
      {list.total > 0 ? (
        <p>
          {countOf(list.total, 'course')}
          {list.pageCount > 1 ? `, page ${list.page} of ${list.pageCount}` : ''}.
        </p>
      ) : query.q || query.status ? (
        <p>No course matches that search.</p>
      ) : (
        // A new install: "0 courses." read as a failed search rather than a catalog still to be filled.
        <p>No courses yet.</p>
      )}
      {list.courses.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Courses</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Title</th>
                <th scope="col">Credits</th>
                <th scope="col">Level</th>
                <th scope="col">Department</th>
                <th scope="col">Standing</th>
              </tr>
            </thead>
            <tbody>
              {list.courses.map((c) => (
                <tr key={c.code}>
                  <td>
                    <a href={courseHref(c.code)}>{c.code}</a>
                  </td>
                  <td>{c.title}</td>
                  <td>{c.credits}</td>
                  <td>{levelLabels[c.level]}</td>
                  <td>{c.departmentName ?? '—'}</td>
                  <td>
                    {courseStatusLabels[c.status]}
                    {c.isActive ? '' : ' · inactive'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager
        label="Pages of courses"
        page={list.page}
        pages={list.pageCount}
        href={(page) => listHref(query, page)}
        previous="Previous courses"
        next="More courses"
        showPosition
      />
    </Layout>
  );
}

/** A new course's form. */
export function NewCoursePage(props: {
  ctx: PageContext;
  departments: { value: string; label: string }[];
  failed?: FailedForm;
}) {
  return (
    <Layout ctx={props.ctx} title="Add a course">
      <p>
        <a href="/admin/courses">All courses</a>
      </p>
      <h1>Add a course</h1>
      <RecordForm
        ctx={props.ctx}
        action="/admin/courses"
        fields={courseFields(props.departments)}
        values={props.failed?.values ?? {}}
        errors={props.failed?.errors}
        isEdit={false}
        button="Add the course"
      />
    </Layout>
  );
}

/** One course: its form, and the buttons to confirm a proposed course and to take it out of use (or back). */
export function CoursePage(props: {
  ctx: PageContext;
  detail: OneCourse;
  departments: { value: string; label: string }[];
  notice?: string;
  failed?: FailedForm;
}) {
  const { ctx, detail } = props;
  const c = detail.course;
  const action = courseHref(c.code);
  const values = props.failed?.values ?? {
    subject: c.subject,
    number: c.number,
    title: c.title,
    credits: String(c.credits),
    department: c.departmentCode ?? '',
    level: c.level,
  };
  return (
    <Layout ctx={ctx} title={`${c.code} ${c.title}`}>
      <p>
        <a href="/admin/courses">All courses</a>
      </p>
      <h1>
        {c.code} {c.title}
      </h1>
      <SavedNotice>{props.notice}</SavedNotice>
      <p>
        {courseStatusLabels[c.status]}. {c.isActive ? 'In use.' : 'Inactive: no longer offered.'}
      </p>
      {detail.canConfirm ? (
        <form method="post" action={`${action}/confirm`}>
          <CsrfField token={ctx.csrfToken} />
          <p>A program proposal named this course before the catalog had it. Check it, then confirm it.</p>
          <button type="submit">Confirm {c.code}</button>
        </form>
      ) : null}
      {detail.canChange ? (
        <>
          <h2>Edit</h2>
          <RecordForm
            ctx={ctx}
            action={action}
            fields={courseFields(props.departments)}
            values={values}
            errors={props.failed?.errors}
            isEdit
            button="Save the changes"
          />
          <h2>{c.isActive ? 'Deactivate' : 'Reactivate'}</h2>
          <form method="post" action={`${action}/active`}>
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="active" value={c.isActive ? 'no' : 'yes'} />
            <p>
              {c.isActive
                ? 'An inactive course stays on the records that name it, but is no longer offered.'
                : 'The course is offered again.'}
            </p>
            <button type="submit" class={c.isActive ? 'button-secondary' : undefined}>
              {c.isActive ? `Deactivate ${c.code}` : `Reactivate ${c.code}`}
            </button>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
