import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../errors.ts';

/** The CSRF token every form posts back. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'number' | 'date';
  value?: string;
  hint?: string;
  errors?: FieldProblem[];
  required?: boolean;
  autocomplete?: string;
}

/** A labelled input with its hint and error wired up for screen readers. */
export function Field({
  name,
  label,
  type = 'text',
  value,
  hint,
  errors = [],
  required,
  autocomplete,
}: FieldProps) {
  const error = errors.find((e) => e.field === name);
  const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div>
      <label for={name}>
        {label}
        {hint ? (
          <span class="hint" id={`${name}-hint`}>
            {hint}
          </span>
        ) : null}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        value={value}
        required={required}
        autocomplete={autocomplete}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {error ? (
        <p class="field-error" id={`${name}-error`}>
          {label} {error.reason}.
        </p>
      ) : null}
    </div>
  );
}

/** A summary of problems at the top of a form, focused first by assistive technology. */
export function ErrorSummary({ errors, children }: { errors: FieldProblem[]; children?: ComponentChildren }) {
  if (errors.length === 0 && !children) return null;
  return (
    <div class="notice notice-bad" role="alert">
      <h2>There is a problem</h2>
      {children}
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={e.field}>
              <a href={`#${e.field}`}>
                {e.field}: {e.reason}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
