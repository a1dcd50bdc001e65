import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../platform/errors.ts';
import type { FormValues } from './program-form.ts';

/** Reading one value of a re-rendered form. */
export const formValue = (values: FormValues, name: string): string => {
  const value = values[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};
const valuesOf = (values: FormValues, name: string): string[] => {
  const value = values[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

function described(name: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The label names the field; the hint sits outside it, so the field's accessible name stays short. */
function Label({ name, label, hint }: { name: string; label: string; hint?: ComponentChildren }) {
  return (
    <>
      <label for={name}>{label}</label>
      {hint ? (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
    </>
  );
}

function FieldError({ name, label, error }: { name: string; label: string; error?: FieldProblem }) {
  return error ? (
    <p class="field-error" id={`${name}-error`}>
      {label} {error.reason}.
    </p>
  ) : null;
}

interface ControlProps {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldProblem[];
  hint?: ComponentChildren;
  required?: boolean;
}

export function TextInput(
  props: ControlProps & { type?: 'text' | 'email' | 'number'; inputmode?: 'decimal' | 'numeric' },
) {
  const error = props.errors.find((e) => e.field === props.name);
  return (
    <div>
      <Label name={props.name} label={props.label} hint={props.hint} />
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        inputMode={props.inputmode}
        value={formValue(props.values, props.name)}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described(props.name, props.hint, error)}
      />
      <FieldError name={props.name} label={props.label} error={error} />
    </div>
  );
}

export function TextArea(props: ControlProps & { rows?: number; mono?: boolean }) {
  const error = props.errors.find((e) => e.field === props.name);
  return (
    <div>
      <Label name={props.name} label={props.label} hint={props.hint} />
      <textarea
        id={props.name}
        name={props.name}
        rows={props.rows ?? 5}
        class={props.mono ? 'mono' : undefined}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described(props.name, props.hint, error)}
      >
        {formValue(props.values, props.name)}
      </textarea>
      <FieldError name={props.name} label={props.label} error={error} />
    </div>
  );
}

export function Select(props: ControlProps & { options: readonly { value: string; label: string }[] }) {
  const error = props.errors.find((e) => e.field === props.name);
  const current = formValue(props.values, props.name);
  return (
    <div>
      <Label name={props.name} label={props.label} hint={props.hint} />
      <select
        id={props.name}
        name={props.name}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described(props.name, props.hint, error)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === current}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError name={props.name} label={props.label} error={error} />
    </div>
  );
}

/** Radio buttons or checkboxes in a fieldset; the first input carries the field's id for error links. */
export function Choices(
  props: ControlProps & { kind: 'radio' | 'checkbox'; options: readonly { value: string; label: string }[] },
) {
  const error = props.errors.find((e) => e.field === props.name);
  const chosen = valuesOf(props.values, props.name);
  return (
    <fieldset aria-describedby={described(props.name, props.hint, error)}>
      <legend>{props.label}</legend>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <div class="choices">
        {props.options.map((option, index) => (
          <label key={option.value} class="choice">
            <input
              type={props.kind}
              id={index === 0 ? props.name : `${props.name}-${option.value}`}
              name={props.name}
              value={option.value}
              checked={chosen.includes(option.value)}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
      <FieldError name={props.name} label={props.label} error={error} />
    </fieldset>
  );
}

export function FileInput(props: Omit<ControlProps, 'values'> & { accept: string }) {
  const error = props.errors.find((e) => e.field === props.name);
  return (
    <div>
      <Label name={props.name} label={props.label} hint={props.hint} />
      <input
        id={props.name}
        name={props.name}
        type="file"
        accept={props.accept}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described(props.name, props.hint, error)}
      />
      <FieldError name={props.name} label={props.label} error={error} />
    </div>
  );
}
