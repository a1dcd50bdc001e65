import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import type { AcademicStructureService } from './structure.service.ts';
import type { StructureKind } from './structure-import-file.ts';
import {
  departmentFields,
  type FailedForm,
  type FieldSpec,
  kindWords,
  RecordForm,
  SavedNotice,
  termFields,
} from './structure-parts.tsx';

type Departments = Awaited<ReturnType<AcademicStructureService['departments']>>;
type Terms = Awaited<ReturnType<AcademicStructureService['terms']>>;

/** Links between the three screens, and to each one's import. */
export function StructureLinks({ kind, canImport }: { kind: StructureKind; canImport: boolean }) {
  return (
    <p>
      {(['departments', 'terms', 'courses'] as const)
        .filter((k) => k !== kind)
        .map((k) => (
          <span key={k}>
            <a href={`/admin/${k}`}>{kindWords[k].title}</a> ·{' '}
          </span>
        ))}
      {canImport ? <a href={`/admin/${kind}/import`}>Import {kindWords[kind].many} from a CSV file</a> : null}
    </p>
  );
}

function AddSection(props: {
  ctx: PageContext;
  kind: StructureKind;
  fields: readonly FieldSpec[];
  failed?: FailedForm;
}) {
  const words = kindWords[props.kind];
  return (
    <section aria-labelledby="add-heading">
      <h2 id="add-heading">Add a {words.one}</h2>
      <RecordForm
        ctx={props.ctx}
        action={`/admin/${props.kind}`}
        fields={props.fields}
        values={props.failed?.values ?? {}}
        errors={props.failed?.errors}
        isEdit={false}
        button={`Add the ${words.one}`}
      />
    </section>
  );
}

/** The registrar's list of departments, with a form to add one. */
export function DepartmentsPage(props: {
  ctx: PageContext;
  list: Departments;
  notice?: string;
  failed?: FailedForm;
}) {
  const { ctx, list } = props;
  return (
    <Layout ctx={ctx} title="Departments">
      <h1>Departments</h1>
      <StructureLinks kind="departments" canImport={list.canImport} />
      <SavedNotice>{props.notice}</SavedNotice>
      {list.departments.length === 0 ? (
        <p>No departments yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Departments</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
              <th scope="col">Head</th>
            </tr>
          </thead>
          <tbody>
            {list.departments.map((d) => (
              <tr key={d.code}>
                <td>
                  {list.canChange ? (
                    <a href={`/admin/departments/${encodeURIComponent(d.code)}`}>{d.code}</a>
                  ) : (
                    d.code
                  )}
                </td>
                <td>{d.name}</td>
                <td>{d.headName ? `${d.headName} (${d.headEmail})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.canChange ? (
        <AddSection ctx={ctx} kind="departments" fields={departmentFields} failed={props.failed} />
      ) : null}
    </Layout>
  );
}

/** The registrar's list of terms, newest first, with a form to add one. */
export function TermsPage(props: { ctx: PageContext; list: Terms; notice?: string; failed?: FailedForm }) {
  const { ctx, list } = props;
  return (
    <Layout ctx={ctx} title="Terms">
      <h1>Terms</h1>
      <StructureLinks kind="terms" canImport={list.canImport} />
      <SavedNotice>{props.notice}</SavedNotice>
      <p>
        Completions files and tracking lists name a term by its code or its name here, and a grade counts from
        the term's last day.{' '}
        {list.terms.length === 0
          ? 'Until a term is listed, a term is written as a year and a season, such as 2026 Fall; once one is, a file’s term must be on this list.'
          : 'A term that is not on this list is refused. Renaming a term or moving its last day changes the learners’ records to match.'}
      </p>
      {list.terms.length === 0 ? (
        <p>No terms yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Terms</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
              <th scope="col">First day</th>
              <th scope="col">Last day</th>
            </tr>
          </thead>
          <tbody>
            {list.terms.map((t) => (
              <tr key={t.code}>
                <td>
                  {list.canChange ? (
                    <a href={`/admin/terms/${encodeURIComponent(t.code)}`}>{t.code}</a>
                  ) : (
                    t.code
                  )}
                </td>
                <td>{t.name}</td>
                <td class="nowrap">{formatDay(t.startsOn)}</td>
                <td class="nowrap">{formatDay(t.endsOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.canChange ? (
        <AddSection ctx={ctx} kind="terms" fields={termFields} failed={props.failed} />
      ) : null}
    </Layout>
  );
}

/** One department or term to edit; its code stays as it is. */
export function RecordEditPage(props: {
  ctx: PageContext;
  kind: 'departments' | 'terms';
  values: Record<string, string>;
  failed?: FailedForm;
}) {
  const words = kindWords[props.kind];
  const title = `Edit ${words.one} ${props.values.code}`;
  return (
    <Layout ctx={props.ctx} title={title}>
      <p>
        <a href={`/admin/${props.kind}`}>All {words.many}</a>
      </p>
      <h1>{title}</h1>
      {props.kind === 'terms' ? (
        <p>
          Learners' records follow a change: a new name replaces the old one on their completions, and a new
          last day moves the grades dated the old one (a grade counts from that day).
        </p>
      ) : null}
      <RecordForm
        ctx={props.ctx}
        action={`/admin/${props.kind}/${encodeURIComponent(props.values.code ?? '')}`}
        fields={props.kind === 'departments' ? departmentFields : termFields}
        values={props.failed?.values ?? props.values}
        errors={props.failed?.errors}
        isEdit
        button="Save the changes"
      />
    </Layout>
  );
}
