import type { FieldProblem } from '../platform/errors.ts';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { minimumGrades } from '../requirements/index.ts';
import { Choices, FileInput, formValue, Select, TextArea, TextInput } from './form-controls.tsx';
import { fieldLabelOf, fieldLabels } from './program-fields.ts';
import type { FormValues } from './program-form.ts';
import {
  creditTypeLabels,
  deliveryModeLabels,
  enrolmentPathLabels,
  levelLabels,
} from './program-vocabulary.ts';
import { acceptedExtensions } from './proposal-files.ts';

export interface FormReferences {
  departments: { code: string; name: string }[];
  certificates: { slug: string; title: string }[];
}

/** The problems of a form, each linked to its field, named as the form names it. */
export function ProblemSummary({
  errors,
  message,
  href = (field) => `#${field}`,
}: {
  errors: FieldProblem[];
  message?: string | undefined;
  /** Where each problem links to: its field on this page, unless the field is on another page. */
  href?: (field: string) => string;
}) {
  if (errors.length === 0 && !message) return null;
  return (
    <Notice kind="bad">
      <h2>There is a problem</h2>
      {message ? <p>{message}</p> : null}
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={`${e.field}:${e.reason}`}>
              <a href={href(e.field)}>
                {fieldLabelOf(e.field)} {e.reason}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

const gradeOptions = [
  ...minimumGrades.map((grade) => ({
    value: grade,
    label: grade === 'P' ? 'Any pass (P)' : `${grade} or better`,
  })),
  { value: 'none', label: 'No minimum grade' },
];

/**
 * The proposal form (new and draft edits, with the proposal's narratives and files) and the edit form of an
 * offered program (program fields only; saving makes a new version).
 */
export function ProgramFormPage(props: {
  ctx: PageContext;
  mode: 'new' | 'draft' | 'version';
  refs: FormReferences;
  values: FormValues;
  errors?: FieldProblem[];
  message?: string;
  programId?: string;
  version?: number;
  existingFiles?: { kind: string; filename: string }[];
}) {
  const { ctx, values, refs } = props;
  const errors = props.errors ?? [];
  const isProposal = props.mode !== 'version';
  const title =
    props.mode === 'new'
      ? 'New program proposal'
      : props.mode === 'draft'
        ? 'Edit the proposal'
        : 'Propose a change to the program';
  const action = props.mode === 'new' ? '/programs/new' : `/programs/${props.programId}/edit`;
  const hasFile = (kind: string) => props.existingFiles?.find((f) => f.kind === kind);
  const controls = { values, errors };
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={props.programId ? `/programs/${props.programId}` : '/programs'}>
          {props.programId ? 'Back to the program' : 'Back to programs'}
        </a>
      </p>
      <h1>{title}</h1>
      {props.mode === 'version' ? (
        <Notice kind="info">
          <p>
            This program is approved, so what you save here is a <strong>proposed change</strong>: it goes
            through the modification approval chain, and version {props.version ?? 1} stays public and
            issuable until the change is approved. Only a wording fix to the summary or description by the
            credentials office is published at once (the program lead is told). Badges already issued keep
            pointing to the version they were issued under.
          </p>
        </Notice>
      ) : null}
      <ProblemSummary errors={errors} message={props.message} />
      {isProposal ? (
        <p>
          You can save the draft unfinished: only the title, department, level and credit type are needed now.
          Whatever is still missing is listed on the proposal’s page and checked when you ask for signatures.
        </p>
      ) : null}
      <form
        method="post"
        action={`${action}?_csrf=${encodeURIComponent(ctx.csrfToken)}`}
        enctype="multipart/form-data"
        class="stack wide"
        noValidate
      >
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        {props.version !== undefined ? (
          <input type="hidden" name="version" value={String(props.version)} />
        ) : null}
        <h2>The program</h2>
        <TextInput name="title" label={fieldLabels.title} required {...controls} />
        {props.mode === 'version' ? null : (
          <TextInput
            name="slug"
            label={fieldLabels.slug}
            hint="Lower-case words joined by hyphens, used in the catalog address. Leave blank to make it from the title."
            {...controls}
          />
        )}
        <TextArea
          name="summary"
          label={fieldLabels.summary}
          hint="One or two sentences for the catalog listing."
          rows={3}
          required
          {...controls}
        />
        <TextArea name="description" label={fieldLabels.description} rows={6} required {...controls} />
        <Select
          name="department"
          label={fieldLabels.department}
          options={[
            { value: '', label: 'Choose a department' },
            ...refs.departments.map((d) => ({ value: d.code, label: d.name })),
          ]}
          required
          {...controls}
        />
        <Choices
          name="level"
          label={fieldLabels.level}
          kind="radio"
          options={Object.entries(levelLabels).map(([value, label]) => ({ value, label }))}
          {...controls}
        />
        <Choices
          name="credit_type"
          label={fieldLabels.credit_type}
          kind="radio"
          hint="Credit-bearing and hybrid badges are issued through the registrar; non-credit badges by the credentials office."
          options={Object.entries(creditTypeLabels).map(([value, label]) => ({ value, label }))}
          {...controls}
        />
        <Choices
          name="delivery_mode"
          label={fieldLabels.delivery_mode}
          kind="radio"
          options={Object.entries(deliveryModeLabels).map(([value, label]) => ({ value, label }))}
          {...controls}
        />
        <TextArea
          name="audience"
          label={fieldLabels.audience}
          hint="Who the program is for: for example current students of a major, working professionals, or community members."
          rows={2}
          {...controls}
        />
        <div class="form-row">
          <TextInput
            name="credits_min"
            label={fieldLabels.credits_min}
            type="number"
            inputmode="numeric"
            hint="The credits earned, or the fewest of a range."
            required
            {...controls}
          />
          <TextInput
            name="credits_max"
            label={fieldLabels.credits_max}
            type="number"
            inputmode="numeric"
            hint="Only for a range; blank for a fixed number."
            {...controls}
          />
        </div>

        <h2>Courses and requirement</h2>
        <TextArea
          name="courses"
          label={fieldLabels.courses}
          hint="Course codes from the catalog, one per line (for example COMM 241). For a course the catalog does not have yet, write its code, title and credits on a line of their own, like COMM 499 | Podcast Studio | 3: it is added as a proposed course for the registrar to confirm."
          rows={4}
          mono
          required
          {...controls}
        />
        <Select
          name="min_grade"
          label={fieldLabels.min_grade}
          hint="Every listed course is required at this grade."
          options={gradeOptions}
          {...controls}
        />
        <details open={formValue(values, 'requirement_json') !== ''}>
          <summary>Advanced: a requirement rule in JSON</summary>
          <TextArea
            name="requirement_json"
            label={fieldLabels.requirement_json}
            hint='Replaces the rule above, for choices or credit totals, e.g. {"type": "choose", "count": 2, "rules": [...]}. Leave blank to require every listed course.'
            rows={6}
            mono
            {...controls}
          />
        </details>

        <h2>What learners gain</h2>
        <TextArea
          name="outcomes"
          label={fieldLabels.outcomes}
          hint="One outcome per line."
          rows={5}
          required
          {...controls}
        />
        <TextArea
          name="skills"
          label={fieldLabels.skills}
          hint="One skill per line, optionally aligned to a framework: Skill name | framework | URL | code."
          rows={4}
          mono
          {...controls}
        />

        <h2>Fee, validity and enrolment</h2>
        <div class="form-row">
          <TextInput
            name="fee"
            label={fieldLabels.fee}
            hint="In dollars, charged once when the badge is issued."
            inputmode="decimal"
            required
            {...controls}
          />
          <TextInput
            name="validity_years"
            label={fieldLabels.validity_years}
            type="number"
            inputmode="numeric"
            hint="Years the badge stays valid; leave blank if it does not expire."
            {...controls}
          />
        </div>
        <details open={formValue(values, 'renewal_requirement_json') !== ''}>
          <summary>Renewal of an expiring badge</summary>
          <TextArea
            name="renewal_requirement_json"
            label={fieldLabels.renewal_requirement_json}
            hint='A requirement rule in JSON that work done after the award must meet, e.g. a refresher course: {"type": "course", "code": "NURS 501"}. Leave blank to renew when the program’s own requirement is met again by new work.'
            rows={4}
            mono
            {...controls}
          />
        </details>
        <Choices
          name="enrolment_paths"
          label={fieldLabels.enrolment_paths}
          kind="checkbox"
          options={Object.entries(enrolmentPathLabels).map(([value, label]) => ({ value, label }))}
          {...controls}
        />
        {refs.certificates.length > 0 ? (
          <Choices
            name="stacks_into"
            label={fieldLabels.stacks_into}
            kind="checkbox"
            hint="Larger credentials this badge counts toward."
            options={refs.certificates.map((c) => ({ value: c.slug, label: c.title }))}
            {...controls}
          />
        ) : null}
        <TextArea
          name="contacts"
          label={fieldLabels.contacts}
          hint="One per line: Name | e-mail address | role."
          rows={3}
          mono
          {...controls}
        />

        {isProposal ? (
          <>
            <h2>The proposal</h2>
            <TextArea
              name="rationale"
              label={fieldLabels.rationale}
              hint="Why the university should offer it, and how it fits the department’s plans."
              rows={5}
              {...controls}
            />
            <TextArea
              name="market_analysis"
              label={fieldLabels.market_analysis}
              hint="Who needs this, and the evidence of demand."
              rows={5}
              {...controls}
            />
            <TextArea
              name="financial_model"
              label={fieldLabels.financial_model}
              hint="Costs, expected enrolment and revenue."
              rows={5}
              {...controls}
            />
            <TextArea name="marketing_plan" label={fieldLabels.marketing_plan} rows={5} {...controls} />
            <TextArea
              name="assessment_plan"
              label={fieldLabels.assessment_plan}
              hint="How learners show they have met each outcome, and who judges it."
              rows={5}
              {...controls}
            />
            <fieldset aria-describedby="partners-hint">
              <legend>Partners</legend>
              <p class="hint" id="partners-hint">
                Either answer makes a memorandum of understanding (MOU) required before signatures are
                requested.
              </p>
              <div class="choices">
                <label class="choice">
                  <input
                    type="checkbox"
                    id="is_interdisciplinary"
                    name="is_interdisciplinary"
                    value="on"
                    checked={formValue(values, 'is_interdisciplinary') !== ''}
                  />{' '}
                  The program is interdisciplinary (run with other departments)
                </label>
                <label class="choice">
                  <input
                    type="checkbox"
                    id="has_third_party"
                    name="has_third_party"
                    value="on"
                    checked={formValue(values, 'has_third_party') !== ''}
                  />{' '}
                  The program is run with a third party
                </label>
              </div>
            </fieldset>
            <FileInput
              name="syllabus"
              label={fieldLabels.syllabus}
              accept={acceptedExtensions.map((e) => `.${e}`).join(',')}
              hint={fileHint(hasFile('syllabus')?.filename, errors.length > 0)}
              errors={errors}
            />
            <FileInput
              name="mou"
              label={fieldLabels.mou}
              accept={acceptedExtensions.map((e) => `.${e}`).join(',')}
              hint={fileHint(hasFile('mou')?.filename, errors.length > 0)}
              errors={errors}
            />
          </>
        ) : (
          <TextInput
            name="change_note"
            label={fieldLabels.change_note}
            hint="A short note kept with the new version."
            {...controls}
          />
        )}
        <div>
          <button type="submit">
            {props.mode === 'new'
              ? 'Save the draft proposal'
              : props.mode === 'version'
                ? 'Save the change'
                : 'Save changes'}
          </button>
        </div>
      </form>
    </Layout>
  );
}

function fileHint(current: string | undefined, hadErrors: boolean): string {
  const base = `PDF, Word, OpenDocument, RTF or text, up to 10 MB.`;
  const kept = current ? ` Now stored: ${current}; choose a file only to replace it.` : '';
  const again =
    hadErrors && !current ? ' Files are not kept when the form has problems: choose them again.' : '';
  return `${base}${kept}${again}`;
}
