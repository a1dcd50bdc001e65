import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { CodeList, UploadForm } from '../platform/http/upload-form.tsx';
import type { StructurePreview } from './structure.service.ts';
import { headerMappings, type StructureKind } from './structure-import-file.ts';
import { kindWords } from './structure-parts.tsx';

const SHOWN_ROWS = 500;
const outcomeWords = {
  create: 'New',
  update: 'Changed',
  unchanged: 'Unchanged',
  error: 'Not accepted',
} as const;

/** The upload form, with the columns each student system's export may use. */
export function ImportUploadPage(props: { ctx: PageContext; kind: StructureKind; problem?: string }) {
  const { ctx, kind } = props;
  const words = kindWords[kind];
  return (
    <Layout ctx={ctx} title={`Import ${words.many}`}>
      <p>
        <a href={`/admin/${kind}`}>All {words.many}</a>
      </p>
      <h1>Import {words.many}</h1>
      <p>
        Upload a CSV file exported from the student system. Nothing is saved until you have seen what the file
        would change and confirmed it. Importing the same file again changes nothing.
      </p>
      <UploadForm
        csrfToken={ctx.csrfToken}
        action={`/admin/${kind}/import`}
        label="CSV file"
        hint="Comma-separated, UTF-8, with the column names in the first row."
        button="Show what would change"
        problem={props.problem}
        problemHeading="The file was not read"
      />
      <h2>Columns</h2>
      <p>Each field is read from the first of its columns the file has; other columns are ignored.</p>
      <table>
        <caption class="visually-hidden">Accepted column names</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Column names accepted</th>
            <th scope="col">Needed</th>
          </tr>
        </thead>
        <tbody>
          {headerMappings[kind].map((m) => (
            <tr key={m.field}>
              <td>{m.field}</td>
              <td>
                <CodeList names={m.columns.map((c) => c.toUpperCase())} />
              </td>
              <td>{m.required ? 'Yes' : 'No'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** What the uploaded file would do, line by line, and the button that applies it when nothing is refused. */
export function ImportPreviewPage(props: {
  ctx: PageContext;
  kind: StructureKind;
  fileName: string;
  csv: string;
  preview: StructurePreview;
}) {
  const { ctx, kind, preview } = props;
  const words = kindWords[kind];
  const { counts } = preview;
  const listed = preview.rows.filter((r) => r.outcome !== 'unchanged');
  const hasErrors = counts.error > 0;
  const hasWork = counts.create + counts.update > 0;
  return (
    <Layout ctx={ctx} title={`Import ${words.many}: check the changes`}>
      <p>
        <a href={`/admin/${kind}/import`}>Upload another file</a>
      </p>
      <h1>Check the changes</h1>
      <p>
        <strong>{props.fileName}</strong>: {counts.create} new, {counts.update} changed, {counts.unchanged}{' '}
        unchanged, {counts.error} not accepted.
      </p>
      {hasErrors ? (
        <Notice kind="bad">
          <h2>Some lines are not accepted</h2>
          <p>
            Nothing is saved while any line has a problem. Correct the lines listed below and upload again.
          </p>
        </Notice>
      ) : hasWork ? (
        <form method="post" action={`/admin/${kind}/import/apply`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="fileName" value={props.fileName} />
          <input type="hidden" name="csv" value={props.csv} />
          <button type="submit">
            Save {counts.create + counts.update}{' '}
            {counts.create + counts.update === 1 ? words.one : words.many}
          </button>
        </form>
      ) : (
        <Notice kind="info" as="p">
          Everything in the file is already saved; there is nothing to do.
        </Notice>
      )}
      {listed.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption>Lines that add, change or are not accepted</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Record</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {listed.slice(0, SHOWN_ROWS).map((r) => (
                <tr key={r.position}>
                  <td>{r.position}</td>
                  <td>{r.key}</td>
                  <td>{outcomeWords[r.outcome]}</td>
                  <td>
                    {r.outcome === 'error'
                      ? r.problems.map((p) => `${p.field} ${p.reason}`).join('; ')
                      : r.changes.join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {listed.length > SHOWN_ROWS ? (
        <p>
          The first {SHOWN_ROWS} of {listed.length} lines are shown.
        </p>
      ) : null}
    </Layout>
  );
}
