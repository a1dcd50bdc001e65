import type { ComponentChildren } from 'preact';
import { Field } from './forms.tsx';
import { Notice } from './notice.tsx';

/**
 * A form that uploads one file, with why the last upload was refused above it. The CSRF token rides in the
 * action's query: the token check runs before a multipart body is read.
 */
export function UploadForm(props: {
  csrfToken: string;
  action: string;
  label: string;
  hint: ComponentChildren;
  button: string;
  /** The kinds of file offered; CSV by default. */
  accept?: string;
  /** Why the last upload was refused, under `problemHeading`. */
  problem?: string;
  problemHeading: string;
}) {
  return (
    <>
      {props.problem ? (
        <Notice kind="bad">
          <h2>{props.problemHeading}</h2>
          <p>{props.problem}</p>
        </Notice>
      ) : null}
      <form
        method="post"
        action={`${props.action}?_csrf=${encodeURIComponent(props.csrfToken)}`}
        enctype="multipart/form-data"
        class="stack"
      >
        <Field
          name="file"
          label={props.label}
          type="file"
          accept={props.accept ?? '.csv,text/csv'}
          hint={props.hint}
          required
        />
        <div>
          <button type="submit">{props.button}</button>
        </div>
      </form>
    </>
  );
}

/** Column names as code, separated by commas: the columns an upload's first row names. */
export function CodeList({ names }: { names: readonly string[] }) {
  return (
    <>
      {names.map((name, i) => (
        <span key={name}>
          {i > 0 ? ', ' : ''}
          <code>{name}</code>
        </span>
      ))}
    </>
  );
}
