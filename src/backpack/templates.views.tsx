import { Fragment } from 'preact';
import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field, TextAreaField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { DateText } from './badge-parts.tsx';
import type { MailTemplate, Placeholder } from './mail-template.ts';

const placeholderMeanings: Record<Placeholder, string> = {
  learnerName: 'the learner’s name',
  programTitle: 'the micro-credential’s title',
  claimUrl: 'the single-use link that claims the badge (required in both bodies)',
  institutionName: 'the institution’s name',
};

const labels = { subject: 'Subject', text: 'Plain-text body', html: 'HTML body' };

/** A body of the e-mail: a tall box, spell-checked unless it holds HTML. */
const BodyField = (props: {
  name: string;
  label: string;
  hint: string;
  value: string;
  errors: FieldProblem[];
}) => <TextAreaField {...props} rows={16} required spellcheck={props.name !== 'html'} />;

/** The claim e-mail's wording, edited by the credentials office, with a preview filled in with example values. */
export function TemplatesPage(props: {
  ctx: PageContext;
  draft: MailTemplate;
  isDefault: boolean;
  updatedAt: Date | null;
  preview?: MailTemplate;
  errors?: FieldProblem[];
  notice?: string;
}) {
  const { ctx, draft, preview } = props;
  const errors = props.errors ?? [];
  return (
    <Layout ctx={ctx} title="Claim e-mail">
      <h1>Claim e-mail</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <p>
        Every learner gets this message when a badge is issued to them, and again when they ask for a new
        claim link. {props.isDefault ? 'You are using the standard wording.' : null}
        {props.updatedAt ? (
          <>
            {' '}
            Last changed on <DateText date={props.updatedAt} />.
          </>
        ) : null}
      </p>
      <h2>Placeholders</h2>
      <p>Write these, with their double braces, where the message should say:</p>
      <dl class="facts">
        {Object.entries(placeholderMeanings).map(([name, meaning]) => (
          <Fragment key={name}>
            <dt>
              <code>{`{{${name}}}`}</code>
            </dt>
            <dd>{meaning}</dd>
          </Fragment>
        ))}
      </dl>
      <p class="muted">
        Values are inserted as plain text: in the HTML body they are escaped, so a name can never add markup.
      </p>
      <h2>Wording</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/backpack/templates" class="stack template-form">
        <CsrfField token={ctx.csrfToken} />
        <Field name="subject" label={labels.subject} value={draft.subject} required errors={errors} />
        <BodyField
          name="text"
          label={labels.text}
          hint="Read by mail programs that do not show HTML."
          value={draft.text}
          errors={errors}
        />
        <BodyField
          name="html"
          label={labels.html}
          hint="Paragraphs, headings and links; styles must be inline. Scripts are never run by mail programs."
          value={draft.html}
          errors={errors}
        />
        <div class="button-row">
          <button type="submit" name="action" value="preview" class="button-secondary">
            Preview
          </button>
          <button type="submit" name="action" value="save">
            Save the wording
          </button>
        </div>
      </form>
      {props.isDefault ? null : (
        <form method="post" action="/backpack/templates" class="template-reset">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="action" value="reset" />
          <button type="submit" class="link-button">
            Go back to the standard wording
          </button>
        </form>
      )}
      {preview ? (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p class="muted">Filled in with example values. Nothing is sent.</p>
          <dl class="facts">
            <dt>Subject</dt>
            <dd>{preview.subject}</dd>
          </dl>
          <h3>Plain text</h3>
          <pre class="template-preview-text">{preview.text}</pre>
          <h3>HTML</h3>
          {/* Sandboxed: the office's markup is shown as a mail program would, without scripts or forms. */}
          <iframe
            class="template-preview-html"
            title="Preview of the HTML e-mail"
            sandbox=""
            srcdoc={preview.html}
          />
        </section>
      ) : null}
    </Layout>
  );
}
