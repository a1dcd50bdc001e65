import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../platform/errors.ts';
import { ChoicesField, Field, SelectField, TextAreaField } from '../platform/http/forms.tsx';
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

/**
 * The proposal forms' controls: the platform's labelled controls, filled from the values of a form shown
 * again (`FormValues`) rather than from one value each.
 */
interface ControlProps {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldProblem[];
  hint?: ComponentChildren;
  required?: boolean;
}

export function TextInput({
  values,
  inputmode,
  ...props
}: ControlProps & { type?: 'text' | 'email' | 'number'; inputmode?: 'decimal' | 'numeric' }) {
  return <Field {...props} inputMode={inputmode} value={formValue(values, props.name)} />;
}

export function TextArea({ values, rows, ...props }: ControlProps & { rows?: number; mono?: boolean }) {
  return <TextAreaField {...props} rows={rows ?? 5} value={formValue(values, props.name)} />;
}

export function Select({
  values,
  ...props
}: ControlProps & { options: readonly { value: string; label: string }[] }) {
  return <SelectField {...props} value={formValue(values, props.name)} />;
}

export function Choices({
  values,
  ...props
}: ControlProps & { kind: 'radio' | 'checkbox'; options: readonly { value: string; label: string }[] }) {
  return <ChoicesField {...props} chosen={valuesOf(values, props.name)} />;
}

export function FileInput(props: Omit<ControlProps, 'values'> & { accept: string }) {
  return <Field {...props} type="file" />;
}
