/** Pieces the academic-structure pages share: the labels of each kind's fields, forms and notices. */
import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field, SelectField } from '../platform/http/forms.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { levelLabels } from '../programs/program-vocabulary.ts';
import type { StructureKind } from './structure-import-file.ts';

/** A form that was refused, shown again with what was typed and the problems beside its fields. */
export interface FailedForm {
  values: Record<string, string>;
  errors: FieldProblem[];
}

export interface FieldSpec {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'date' | 'number';
  /** A drop-down instead of a text box. */
  options?: readonly { value: string; label: string }[];
  /** Part of the record's key: shown, not editable, once the record exists. */
  isKey?: boolean;
  required?: boolean;
}

/** Each kind's name in a sentence and in a heading. */
export const kindWords: Readonly<Record<StructureKind, { one: string; many: string; title: string }>> = {
  departments: { one: 'department', many: 'departments', title: 'Departments' },
  terms: { one: 'term', many: 'terms', title: 'Terms' },
  courses: { one: 'course', many: 'courses', title: 'Courses' },
};

export const levelOptions = Object.entries(levelLabels).map(([value, label]) => ({ value, label }));

export const departmentFields: readonly FieldSpec[] = [
  {
    name: 'code',
    label: 'Code',
    hint: 'As the student system writes it, such as COMM.',
    isKey: true,
    required: true,
  },
  { name: 'name', label: 'Name', required: true },
  {
    name: 'head',
    label: 'Head’s e-mail address',
    hint: 'Optional. The head needs an account here.',
    type: 'email',
  },
];

export const termFields: readonly FieldSpec[] = [
  {
    name: 'code',
    label: 'Code',
    hint: 'As the student system writes it, such as 202510.',
    isKey: true,
    required: true,
  },
  { name: 'name', label: 'Name', hint: 'Such as Fall 2025.', required: true },
  { name: 'startsOn', label: 'First day', type: 'date', required: true },
  { name: 'endsOn', label: 'Last day', type: 'date', required: true },
];

export function courseFields(departments: readonly { value: string; label: string }[]): FieldSpec[] {
  return [
    { name: 'subject', label: 'Subject', hint: 'Such as COMM.', isKey: true, required: true },
    { name: 'number', label: 'Number', hint: 'Such as 330.', isKey: true, required: true },
    { name: 'title', label: 'Title', required: true },
    { name: 'credits', label: 'Credits', hint: 'A whole number from 0 to 30.', required: true },
    { name: 'department', label: 'Department', options: departments, required: true },
    { name: 'level', label: 'Level', options: levelOptions, required: true },
  ];
}

export const labelsOf = (fields: readonly FieldSpec[]) =>
  Object.fromEntries(fields.map((f) => [f.name, f.label]));

/** A create or edit form for one record; on edit the key fields are shown and posted unchanged. */
export function RecordForm(props: {
  ctx: PageContext;
  action: string;
  fields: readonly FieldSpec[];
  values: Record<string, string>;
  errors?: FieldProblem[];
  isEdit: boolean;
  button: string;
}) {
  const { fields, values, errors = [] } = props;
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <CsrfField token={props.ctx.csrfToken} />
      <ErrorSummary errors={errors} labels={labelsOf(fields)} />
      {fields.map((f) =>
        props.isEdit && f.isKey ? (
          <p key={f.name}>
            {f.label}: <strong>{values[f.name]}</strong>
            <input type="hidden" name={f.name} value={values[f.name] ?? ''} />
          </p>
        ) : f.options ? (
          <SelectField
            key={f.name}
            name={f.name}
            label={f.label}
            hint={f.hint}
            options={f.options}
            placeholder="Choose one"
            value={values[f.name]}
            errors={errors}
            required={f.required}
          />
        ) : (
          <Field
            key={f.name}
            name={f.name}
            label={f.label}
            hint={f.hint}
            type={f.type}
            value={values[f.name]}
            errors={errors}
            required={f.required}
          />
        ),
      )}
      <div>
        <button type="submit">{props.button}</button>
      </div>
    </form>
  );
}

/** A notice after a change was saved. */
export function SavedNotice({ children }: { children?: ComponentChildren }) {
  return children ? (
    <Notice kind="info" as="p" role="status">
      {children}
    </Notice>
  ) : null;
}
