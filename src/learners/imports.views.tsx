import { Figure, Figures } from '../platform/http/figures.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { CodeList, UploadForm } from '../platform/http/upload-form.tsx';
import { countOf } from '../platform/words.ts';
import type { RegisteredTerm } from './academic-term.ts';
import type { ImportSummary } from './completion-imports.repository.ts';
import type { CompletionImportsService, ImportResult } from './completion-imports.service.ts';
import { optionalColumns, requiredColumns } from './completion-row.ts';
import { channelLabels, ImportsTable, formatMoment as when } from './imports-table.tsx';
import { StaffLinks } from './learners.views.tsx';
import { MAX_IMPORT_BYTES } from './spool-upload.ts';

/** What the term column may hold: the registrar's terms once there are any, else a year and a season. */
function TermHelp({ terms }: { terms: readonly RegisteredTerm[] }) {
  if (terms.length === 0) {
    return (
      <li>
        <code>term</code> is a year and a season, such as <code>2025 Fall</code> or <code>2026 Winter</code>{' '}
        (Winter, Spring, Summer or Fall), until the registrar enters the institution's terms on the Terms
        page; after that, only those terms are taken.
      </li>
    );
  }
  const shown = terms.slice(0, 3);
  return (
    <li>
      <code>term</code> is one of the {countOf(terms.length, 'term')} on the registrar's Terms page, by its
      code or its name:{' '}
      {shown.map((t, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <code>{t.code}</code> or <code>{t.name}</code>
        </>
      ))}
      {terms.length > shown.length ? ' and the others there' : ''}. A term that is not there is refused; its
      grades count from the term's last day as the page gives it.
    </li>
  );
}

type ReportRows = Awaited<ReturnType<CompletionImportsService['reportRows']>>;

/** `/learners/imports`: upload a completions file from the student information system; earlier imports. */
export function ImportsPage(props: {
  ctx: PageContext;
  imports: ImportSummary[];
  terms: readonly RegisteredTerm[];
  /** The term the sample row names, so that it reads like this institution's own extract. */
  example: RegisteredTerm | undefined;
  problem?: string;
}) {
  const { ctx, imports, terms, problem } = props;
  const example = props.example?.code ?? '2025 Fall';
  return (
    <Layout ctx={ctx} title="Import course completions">
      <StaffLinks ctx={ctx} />
      <h1>Import course completions</h1>
      <p>
        Upload the completions extract from the student information system as a CSV file (UTF-8,
        comma-separated, up to {MAX_IMPORT_BYTES / 1024 / 1024} MB). Every row is checked; new and corrected
        grades are saved, rows that match what is stored are left alone, and rows with problems are listed in
        the report.
      </p>
      <details class="import-help">
        <summary>The columns the file needs</summary>
        <p>
          The first row names the columns, in any order and any letter case. Required:{' '}
          <CodeList names={requiredColumns} />. Optional: <CodeList names={optionalColumns} />.
        </p>
        <ul>
          <TermHelp terms={terms} />
          <li>
            <code>grade</code> is on the grade scale: A+ to F, or P, NP, W, I. <code>credits</code> is a whole
            number from 0 to 30.
          </li>
          <li>
            <code>completed_on</code> is a date written YYYY-MM-DD; when it is missing, the last day of the
            term is used.
          </li>
          <li>
            <code>email</code>, when given, must match the learner's record. <code>source</code> names the
            system the row came from (default <code>sis</code>).
          </li>
        </ul>
        <pre>{`student_id,course_code,term,grade,credits\nC00012345,COMM 330,${example},A-,3`}</pre>
      </details>
      <UploadForm
        csrfToken={ctx.csrfToken}
        action="/learners/imports"
        label="Completions file (CSV)"
        hint="Large files take a little while; the report opens when the import is done."
        button="Import the file"
        problem={problem}
        problemHeading="Nothing was imported"
      />

      <h2>Earlier imports</h2>
      {imports.length === 0 ? (
        <p>No completions have been imported yet.</p>
      ) : (
        <ImportsTable caption="Earlier imports, newest first" imports={imports} withRowsTotal />
      )}
    </Layout>
  );
}

function RowsTable(props: { caption: string; rows: ReportRows; withReason: boolean; countsFrom?: boolean }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Student ID</th>
            <th scope="col">Course</th>
            <th scope="col">Term</th>
            {props.withReason ? <th scope="col">Why it was rejected</th> : null}
            {props.countsFrom ? <th scope="col">Counts from</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.rowNumber}>
              <td>{r.rowNumber}</td>
              <td>{r.learnerId ? <a href={`/learners/${r.learnerId}`}>{r.studentId}</a> : r.studentId}</td>
              <td>{r.course}</td>
              <td>{r.term}</td>
              {props.withReason ? <td>{r.reason}</td> : null}
              {props.countsFrom ? (
                <td class="nowrap">{r.countsFrom ? formatDay(r.countsFrom) : null}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/learners/imports/<id>`: the counts, then the rejected rows, then the corrected ones. */
export function ImportReportPage(props: {
  ctx: PageContext;
  result: ImportResult;
  rejected: ReportRows;
  updated: ReportRows;
  pending: ReportRows;
  shownLimit: number;
}) {
  const { ctx, result, rejected, updated, pending, shownLimit } = props;
  const counts: [string, number][] = [
    ['Rows read', result.rowsTotal],
    ['New completions', result.accepted],
    ['Corrected', result.updated],
    ['Unchanged', result.unchanged],
    ['Rejected', result.rejected],
    ['Graded, pending term end', result.pendingTermEnd],
  ];
  return (
    <Layout ctx={ctx} title={`Import report: ${result.fileName}`}>
      <StaffLinks ctx={ctx} />
      <h1>Import report</h1>
      <p>
        <strong>{result.fileName}</strong>, imported {when(result.createdAt)} by {result.uploadedByLabel} (
        {channelLabels[result.channel]}).
      </p>
      {result.earlierImport ? (
        <Notice kind="info">
          <p>
            A file with exactly the same content was imported on {when(result.earlierImport.createdAt)} (
            <a href={`/learners/imports/${result.earlierImport.id}`}>its report</a>).
          </p>
        </Notice>
      ) : null}
      <Figures label="Outcome of each row">
        {counts.map(([label, value]) => (
          <Figure key={label} value={value.toLocaleString('en-US')} label={label} />
        ))}
      </Figures>
      <p>
        <a class="button button-secondary" href={`/learners/imports/${result.id}/report.csv`}>
          Download the full report (CSV)
        </a>{' '}
        <a href="/learners/imports">Import another file</a>
      </p>
      <p class="muted">Line numbers count the header as line 1, as a spreadsheet shows them.</p>

      <h2>Rejected rows ({result.rejected.toLocaleString('en-US')})</h2>
      {rejected.length === 0 ? (
        <p>Every row was accepted.</p>
      ) : (
        <>
          {result.rejected > shownLimit ? (
            <p>The first {shownLimit} are shown; the CSV report lists them all.</p>
          ) : null}
          <RowsTable caption="Rejected rows, with the reason" rows={rejected} withReason />
        </>
      )}

      {pending.length > 0 ? (
        <>
          <h2>Graded, pending term end ({result.pendingTermEnd.toLocaleString('en-US')})</h2>
          <p>
            These grades are for a term that had not ended on the day of the import. They are on record and
            count toward badges from the day shown, without another import.
          </p>
          {result.pendingTermEnd > shownLimit ? (
            <p>The first {shownLimit} are shown; the CSV report lists them all.</p>
          ) : null}
          <RowsTable
            caption="Grades pending the end of their term"
            rows={pending}
            withReason={false}
            countsFrom
          />
        </>
      ) : null}

      {updated.length > 0 ? (
        <>
          <h2>Corrected completions ({result.updated.toLocaleString('en-US')})</h2>
          <p>
            These rows changed a grade, credits or completion date already on record; each change is in the
            audit log.
          </p>
          {result.updated > shownLimit ? (
            <p>The first {shownLimit} are shown; the CSV report lists them all.</p>
          ) : null}
          <RowsTable caption="Corrected completions" rows={updated} withReason={false} />
        </>
      ) : null}
    </Layout>
  );
}
