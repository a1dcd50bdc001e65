import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../errors.ts';
import { Notice } from './notice.tsx';

/** The CSRF token every form posts back. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** What every labelled control takes: its name (and id), its label, a hint and the form's problems. */
interface ControlProps {
  name: string;
  /** The control's id, where it cannot be its name (the same form more than once on a page). */
  id?: string;
  label: string;
  /** How a problem names the field when its label is not a name ('Type it again'): "The password typed again …". */
  errorLabel?: string;
  hint?: ComponentChildren;
  errors?: readonly FieldProblem[];
  required?: boolean;
}

/** A problem as a sentence: "E-mail address must be an e-mail address." */
function problemSentence(label: string, reason: string): string {
  return /[.!?]$/.test(reason) ? `${label} ${reason}` : `${label} ${reason}.`;
}

/**
 * 'learner.studentId' or 'revoke-category' as words, for a problem whose field has no label at hand. An id that
 * makes a field unique on its page ('comment-f0e132ee-…') is no word anyone should read, so it is left out.
 */
export function fieldWords(field: string): string {
  const last = field.split('.').pop() || field;
  const words = last
    .replace(/[-_]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const problemOf = (name: string, errors: readonly FieldProblem[] = []) =>
  errors.find((e) => e.field === name);

/** The attributes that tie a control to its hint and its error, for screen readers. */
function wiring(id: string, hint: unknown, error: FieldProblem | undefined) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
  };
}

/** The sentence under a field that has a problem; `label` names the field in it. */
export function FieldError(props: {
  name: string;
  id?: string;
  label: string;
  errors?: readonly FieldProblem[];
}) {
  const { label } = props;
  const error = problemOf(props.name, props.errors);
  return error ? (
    <p class="field-error" id={`${props.id ?? props.name}-error`}>
      {problemSentence(label, error.reason)}
    </p>
  ) : null;
}

/** The label names the field; the hint sits outside it, so the field's accessible name stays short. */
function Labelled(props: {
  name: string;
  id: string;
  label: string;
  errorLabel?: string | undefined;
  hint?: ComponentChildren;
  errors?: readonly FieldProblem[];
  children: ComponentChildren;
}) {
  const { id, label, hint } = props;
  return (
    <div>
      <label for={id}>{label}</label>
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {props.children}
      <FieldError name={props.name} id={id} label={props.errorLabel ?? label} errors={props.errors} />
    </div>
  );
}

/** A labelled input with its hint and error wired up for screen readers. */
export function Field(
  props: ControlProps & {
    type?: 'text' | 'email' | 'password' | 'search' | 'number' | 'date' | 'file';
    value?: string;
    autocomplete?: string;
    inputMode?: 'decimal' | 'numeric';
    /** For `type="file"`: the kinds of file offered. */
    accept?: string;
  },
) {
  const { name, hint } = props;
  const id = props.id ?? name;
  const error = problemOf(name, props.errors);
  return (
    <Labelled
      name={name}
      id={id}
      label={props.label}
      errorLabel={props.errorLabel}
      hint={hint}
      errors={props.errors}
    >
      <input
        id={id}
        name={name}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        accept={props.accept}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        {...wiring(id, hint, error)}
      />
    </Labelled>
  );
}

/** A labelled multi-line text box, like Field; `mono` for text whose lines line up (codes, lists). */
export function TextAreaField(
  props: ControlProps & {
    value?: string;
    rows?: number;
    maxLength?: number;
    mono?: boolean;
    spellcheck?: boolean;
  },
) {
  const { name, hint } = props;
  const id = props.id ?? name;
  const error = problemOf(name, props.errors);
  return (
    <Labelled name={name} id={id} label={props.label} hint={hint} errors={props.errors}>
      <textarea
        id={id}
        name={name}
        rows={props.rows ?? 3}
        maxLength={props.maxLength}
        class={props.mono ? 'mono' : undefined}
        spellcheck={props.spellcheck}
        required={props.required}
        {...wiring(id, hint, error)}
      >
        {props.value ?? ''}
      </textarea>
    </Labelled>
  );
}

/** A labelled drop-down list, like Field; `placeholder` adds a first, empty choice. */
export function SelectField(
  props: ControlProps & {
    value?: string;
    options: readonly { value: string; label: string }[];
    placeholder?: string;
  },
) {
  const { name, hint } = props;
  const id = props.id ?? name;
  const error = problemOf(name, props.errors);
  return (
    <Labelled name={name} id={id} label={props.label} hint={hint} errors={props.errors}>
      <select id={id} name={name} required={props.required} {...wiring(id, hint, error)}>
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

/** Radio buttons or checkboxes in a fieldset; the first input carries the field's id for error links. */
export function ChoicesField(
  props: Omit<ControlProps, 'required'> & {
    kind: 'radio' | 'checkbox';
    options: readonly { value: string; label: string }[];
    chosen: readonly string[];
  },
) {
  const { name, hint } = props;
  const id = props.id ?? name;
  const error = problemOf(name, props.errors);
  return (
    <fieldset aria-describedby={wiring(id, hint, error)['aria-describedby']}>
      <legend>{props.label}</legend>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <div class="choices">
        {props.options.map((option, index) => (
          <label key={option.value} class="choice">
            <input
              type={props.kind}
              id={index === 0 ? id : `${id}-${option.value}`}
              name={name}
              value={option.value}
              checked={props.chosen.includes(option.value)}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
      <FieldError name={name} id={id} label={props.label} errors={props.errors} />
    </fieldset>
  );
}

/**
 * A summary of problems at the top of a form, focused first by assistive technology. Each problem reads as a
 * sentence that links to its field: `labels` gives the fields' labels (as the form shows them); a field
 * without one is named by its own name, in words.
 */
export function ErrorSummary({
  errors,
  labels = {},
  children,
}: {
  errors: readonly FieldProblem[];
  labels?: Readonly<Record<string, string>>;
  children?: ComponentChildren;
}) {
  // Children given as a list (problems mapped from the errors) may be an empty one: that is no problem either.
  const hasChildren = Array.isArray(children) ? children.some(Boolean) : Boolean(children);
  if (errors.length === 0 && !hasChildren) return null;
  return (
    <Notice kind="bad">
      <h2>There is a problem</h2>
      {children}
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={e.field}>
              <a href={`#${e.field}`}>{problemSentence(labels[e.field] ?? fieldWords(e.field), e.reason)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
