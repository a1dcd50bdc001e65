import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, Field, TextAreaField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatBytes, formatMoment } from './format.ts';
import { type FullProposalAnswers, fullProposalSections, maxDocumentBytes } from './full-proposal.ts';
import type { FullProposalView } from './full-proposals.service.ts';
import { WrittenAnswers } from './written-answers.tsx';

const addressOf = (programId: string) => `/programs/${programId}/full-proposal`;

const fieldNames: Readonly<Record<string, string>> = {
  ...Object.fromEntries(fullProposalSections.map((s) => [s.name, s.label])),
  document: 'The document',
};

/** The problems of a refused save, upload or submission, each linking to its field. */
function Problems({ errors, message }: { errors: FieldProblem[]; message?: string | undefined }) {
  if (errors.length === 0 && !message) return null;
  return (
    <Notice kind="bad">
      <h2>There is a problem</h2>
      {message ? <p>{message}</p> : null}
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={`${e.field}:${e.reason}`}>
              <a href={`#${e.field}`}>
                {fieldNames[e.field] ?? 'A field'} {e.reason}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

/**
 * The post-pilot full proposal: a form for the lead while it is open (answers, documents, submission), and the
 * same content to read for the bodies that decide it.
 */
export function FullProposalPage(props: {
  ctx: PageContext;
  view: FullProposalView;
  answers?: Partial<FullProposalAnswers>;
  errors?: FieldProblem[];
  message?: string | undefined;
  notice?: string | undefined;
}) {
  const { ctx, view } = props;
  const { program } = view;
  const errors = props.errors ?? [];
  const answers = { ...view.answers, ...props.answers };
  const heading = `Full proposal: ${program.title}`;
  return (
    <Layout ctx={ctx} title={heading}>
      <p>
        <a href={`/programs/${program.id}`}>Back to {program.title}</a>
      </p>
      <h1>{heading}</h1>
      <p>
        At the end of its pilot a program is proposed in full to become established. The proposal is read by
        each body of the full-proposal approval chain.
      </p>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      {view.submittedAt ? (
        <Notice kind="info">
          <p>
            Submitted by {view.submittedBy ?? 'the program lead'} on {formatMoment(view.submittedAt)}. It can
            no longer be changed; if it is returned to the pilot, the lead may rework it and submit it again.
          </p>
        </Notice>
      ) : null}
      <Problems errors={errors} message={props.message} />
      <PilotFigures view={view} />
      <h2 id="documents-title">Documents</h2>
      <DocumentList view={view} csrfToken={ctx.csrfToken} />
      {view.canEdit ? <UploadForm view={view} csrfToken={ctx.csrfToken} errors={errors} /> : null}
      <h2>The proposal</h2>
      {view.canEdit ? (
        <form method="post" action={addressOf(program.id)} class="stack wide">
          <CsrfField token={ctx.csrfToken} />
          <p class="hint">
            Save a draft as often as you like; everything is checked when you submit. Every section and at
            least one document are needed to submit.
          </p>
          {fullProposalSections.map((section) => (
            <TextAreaField
              key={section.name}
              name={section.name}
              label={section.label}
              hint={section.hint}
              rows={6}
              value={answers[section.name]}
              errors={errors}
            />
          ))}
          <div class="button-row">
            <button type="submit" name="intent" value="submit">
              Submit the full proposal
            </button>
            <button type="submit" name="intent" value="save" class="button-secondary">
              Save a draft
            </button>
          </div>
        </form>
      ) : (
        <FullProposalAnswersView answers={answers} />
      )}
    </Layout>
  );
}

/** The answers to read, section by section (the decision screen shows them too). */
export function FullProposalAnswersView({
  answers,
  level = 3,
}: {
  answers: FullProposalAnswers;
  level?: 3 | 4;
}) {
  return <WrittenAnswers questions={fullProposalSections} answers={answers} level={level} />;
}

function PilotFigures({ view }: { view: FullProposalView }) {
  const { figures, program } = view;
  if (!figures) return null;
  const since = program.pilotStartedOn ? formatDay(program.pilotStartedOn) : 'the pilot’s start';
  const until = view.figuresAsOf ? formatDay(view.figuresAsOf) : 'its submission';
  return (
    <>
      <h2>The pilot in figures</h2>
      <p>
        From {since} to {until}, from the learners’ records
        {view.submittedAt ? ', as they stood when the proposal was submitted' : ''}.
      </p>
      <dl class="facts">
        <dt>Learners enrolled</dt>
        <dd>{figures.newEnrolments}</dd>
        <dt>Completed the program</dt>
        <dd>{figures.completedEnrolments}</dd>
        <dt>Still in progress</dt>
        <dd>{figures.activeEnrolments}</dd>
        <dt>Course completions</dt>
        <dd>{figures.courseCompletions}</dd>
      </dl>
    </>
  );
}

/** The documents with who uploaded them and when; a remove button for the lead while it is open. */
export function DocumentList({
  view,
  csrfToken,
}: {
  view: Pick<FullProposalView, 'documents' | 'canEdit' | 'program'>;
  csrfToken?: string | undefined;
}) {
  const { documents, program } = view;
  if (documents.length === 0) return <p class="muted">No documents uploaded yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Documents of the full proposal</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Size</th>
            <th scope="col">Uploaded by</th>
            <th scope="col">Uploaded</th>
            {view.canEdit ? (
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => (
            <tr key={d.id}>
              <th scope="row">
                <a href={`${addressOf(program.id)}/documents/${d.id}`}>{d.filename}</a>
              </th>
              <td class="nowrap">{formatBytes(d.size_bytes)}</td>
              <td>{d.uploaded_by_name}</td>
              <td class="nowrap">{formatMoment(d.uploaded_at)}</td>
              {view.canEdit ? (
                <td>
                  <form method="post" action={`${addressOf(program.id)}/documents/${d.id}/remove`}>
                    <CsrfField token={csrfToken ?? ''} />
                    <button type="submit" class="button-secondary">
                      Remove<span class="visually-hidden"> {d.filename}</span>
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UploadForm({
  view,
  csrfToken,
  errors,
}: {
  view: FullProposalView;
  csrfToken: string;
  errors: FieldProblem[];
}) {
  // Multipart bodies are not read as forms, so the token travels in the address, as the proposal forms do.
  const action = `${addressOf(view.program.id)}/documents?_csrf=${encodeURIComponent(csrfToken)}`;
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="stack wide">
      <Field
        name="document"
        type="file"
        label="Add a document"
        hint={`PDF, Word (DOCX) or OpenDocument text (ODT), at most ${maxDocumentBytes / (1024 * 1024)} MB. The file’s contents decide its type, not its name.`}
        accept=".pdf,.docx,.odt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text"
        errors={errors}
      />
      <div class="button-row">
        <button type="submit">Upload the document</button>
      </div>
    </form>
  );
}
