import type { FieldProblem } from '../platform/errors.ts';
import { ChoicesField, Field, SelectField, TextAreaField } from '../platform/http/forms.tsx';
import { levelLabels } from '../programs/program-vocabulary.ts';
import type { CertificateForm } from './certificate-content.ts';
import type { BadgeOption } from './certificate-editor.service.ts';

/** The form's labels, also used by the error summary so each problem reads with the field's own name. */
export const labels: Record<string, string> = {
  title: 'Title',
  slug: 'Web address name',
  description: 'Description',
  level: 'Level',
  creditsRequired: 'Credits required',
  isTranscripted: 'On the transcript',
  badgesRequired: 'Badges required',
  outcome: 'Outcome',
  programIds: 'Badges this certificate counts',
  requiredCourses: 'Required extra courses',
  electiveCourses: 'Elective courses',
  note: 'What changed',
};

/** The fields of a certificate, for a new one and for the next draft of an existing one. */
export function CertificateFields(props: {
  form: CertificateForm;
  badges: BadgeOption[];
  errors: readonly FieldProblem[];
  canChangeSlug: boolean;
}) {
  const { form, errors } = props;
  const own = props.badges.filter((b) => !b.namesIt);
  const named = props.badges.filter((b) => b.namesIt);
  return (
    <>
      <Field name="title" label={labels.title!} value={form.title} errors={errors} required />
      {props.canChangeSlug ? (
        <Field
          name="slug"
          label={labels.slug!}
          hint="The last part of the public address. Left empty, it is made from the title. It cannot change once published."
          value={form.slug}
          errors={errors}
        />
      ) : (
        <p>
          {labels.slug}: <code>{form.slug}</code> (fixed since it was published)
        </p>
      )}
      <TextAreaField
        name="description"
        label={labels.description!}
        value={form.description}
        rows={4}
        errors={errors}
        required
      />
      <SelectField
        name="level"
        label={labels.level!}
        value={form.level}
        options={Object.entries(levelLabels).map(([value, label]) => ({ value, label }))}
        errors={errors}
      />
      <Field
        name="creditsRequired"
        label={labels.creditsRequired!}
        type="number"
        inputMode="numeric"
        hint="All credits the certificate needs: its badges plus its extra courses."
        value={form.creditsRequired}
        errors={errors}
        required
      />
      <ChoicesField
        kind="radio"
        name="isTranscripted"
        label={labels.isTranscripted!}
        hint="Yes: awarded by the registrar and shown on the transcript."
        options={[
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]}
        chosen={form.isTranscripted ? [form.isTranscripted] : []}
        errors={errors}
      />
      <Field
        name="badgesRequired"
        label={labels.badgesRequired!}
        inputMode="numeric"
        hint="How many of the stacked badges a learner needs. Leave empty for all of them."
        value={form.badgesRequired}
        errors={errors}
      />
      <TextAreaField
        name="outcome"
        label={labels.outcome!}
        hint="What a holder can do, in one sentence (optional)."
        value={form.outcome}
        errors={errors}
      />
      <ChoicesField
        kind="checkbox"
        name="programIds"
        label={labels.programIds!}
        hint={
          named.length > 0
            ? `Also counted, because their own proposal names this certificate: ${named.map((b) => b.title).join('; ')}.`
            : 'Offered badges only; a badge can also name the certificate in its own proposal.'
        }
        options={own.map((b) => ({ value: b.id, label: b.title }))}
        chosen={form.programIds ?? []}
        errors={errors}
      />
      <TextAreaField
        name="requiredCourses"
        label={labels.requiredCourses!}
        hint="Course codes, one a line, e.g. GEOG 101."
        value={form.requiredCourses}
        mono
        errors={errors}
      />
      <TextAreaField
        name="electiveCourses"
        label={labels.electiveCourses!}
        hint="Course codes, one a line. Learners choose among them to make up the credits still needed."
        value={form.electiveCourses}
        mono
        errors={errors}
      />
      <Field
        name="note"
        label={labels.note!}
        hint="A line for the list of versions (optional)."
        value={form.note}
        errors={errors}
      />
    </>
  );
}
