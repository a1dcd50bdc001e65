/**
 * What one version of a certificate says, and how the editor's form becomes it. Pure: the checks that need the
 * database (courses and badges that exist, a slug nobody else has) are the service's.
 */
import type { FieldProblem } from '../platform/errors.ts';
import type { Level } from '../programs/program-vocabulary.ts';
import { levelLabels } from '../programs/program-vocabulary.ts';
import { normalizeCourseCode } from '../requirements/index.ts';

/** The content of a certificate version: everything the public pathway page shows of it. */
export interface CertificateContent {
  title: string;
  description: string;
  level: Level;
  creditsRequired: number;
  isTranscripted: boolean;
  /** null: every offered badge that stacks into it. */
  badgesRequired: number | null;
  outcome: string | null;
  /** Badges the certificate counts itself (programs may also name it in their own proposal). */
  programIds: string[];
  /** Extra courses in page order; `required: false` is an elective toward the credit total. */
  courses: { code: string; required: boolean }[];
}

/** The editor's form as posted: every field a string (checkboxes a list), nothing trusted yet. */
export interface CertificateForm {
  title?: string;
  slug?: string;
  description?: string;
  level?: string;
  creditsRequired?: string;
  isTranscripted?: string;
  badgesRequired?: string;
  outcome?: string;
  programIds?: string[];
  requiredCourses?: string;
  electiveCourses?: string;
  note?: string;
}

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** 'Certificate in Data & Society' → 'certificate-in-data-society' (at most 80 characters). */
export function slugFrom(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug === '' ? 'certificate' : slug;
}

/** The first of `base`, `base-2`, `base-3` … that `isTaken` says is free. */
export async function freeSlug(base: string, isTaken: (slug: string) => Promise<boolean>): Promise<string> {
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await isTaken(candidate))) return candidate;
  }
}

const codesIn = (text: string | undefined) =>
  (text ?? '')
    .split(/[\n,;]+/)
    .map((line) => normalizeCourseCode(line))
    .filter((code) => code !== '');

const wholeNumber = (text: string | undefined) => (/^\s*\d{1,4}\s*$/.test(text ?? '') ? Number(text) : null);

/** The form read into content, or every problem with it, each naming its field. */
export function readCertificateForm(form: CertificateForm):
  | { ok: true; content: CertificateContent; slug: string | null; note: string }
  | {
      ok: false;
      problems: FieldProblem[];
    } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ field, reason });

  const title = (form.title ?? '').trim();
  if (title.length < 3 || title.length > 200) problem('title', 'must be 3 to 200 characters');
  const slugText = (form.slug ?? '').trim();
  if (slugText !== '' && (!SLUG_PATTERN.test(slugText) || slugText.length > 80)) {
    problem('slug', 'must be lower-case letters and digits joined by single hyphens, at most 80 characters');
  }
  const description = (form.description ?? '').trim();
  if (description.length < 10 || description.length > 2000)
    problem('description', 'must be 10 to 2000 characters');
  const level = form.level as Level;
  if (!(level in levelLabels)) problem('level', 'must be undergraduate or graduate');
  const creditsRequired = wholeNumber(form.creditsRequired);
  if (creditsRequired === null || creditsRequired > 200)
    problem('creditsRequired', 'must be a whole number from 0 to 200');
  if (form.isTranscripted !== 'yes' && form.isTranscripted !== 'no')
    problem('isTranscripted', 'must be chosen');
  const badgesText = (form.badgesRequired ?? '').trim();
  const badgesRequired = badgesText === '' ? null : wholeNumber(badgesText);
  if (badgesText !== '' && (badgesRequired === null || badgesRequired < 1 || badgesRequired > 50)) {
    problem('badgesRequired', 'must be left empty (all of them) or be a whole number from 1 to 50');
  }
  const outcome = (form.outcome ?? '').trim();
  if (outcome.length > 500) problem('outcome', 'must be at most 500 characters');
  const note = (form.note ?? '').trim();
  if (note.length > 500) problem('note', 'must be at most 500 characters');

  const required = codesIn(form.requiredCourses);
  const electives = codesIn(form.electiveCourses);
  const tooLong = [...required, ...electives].find((code) => code.length > 20);
  if (tooLong)
    problem('requiredCourses', `has "${tooLong.slice(0, 30)}", which is too long to be a course code`);
  const repeated = [...required, ...electives].find((code, i, all) => all.indexOf(code) !== i);
  if (repeated)
    problem('electiveCourses', `lists ${repeated} more than once (a course is required or elective, once)`);
  if (required.length + electives.length > 40)
    problem('electiveCourses', 'may list at most 40 courses in all');

  const programIds = [...new Set(form.programIds ?? [])];
  if (programIds.some((id) => !/^[0-9a-f-]{36}$/i.test(id)))
    problem('programIds', 'has a badge that is not offered');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    slug: slugText === '' ? null : slugText,
    note,
    content: {
      title,
      description,
      level,
      creditsRequired: creditsRequired ?? 0,
      isTranscripted: form.isTranscripted === 'yes',
      badgesRequired,
      outcome: outcome === '' ? null : outcome,
      programIds,
      courses: [
        ...required.map((code) => ({ code, required: true })),
        ...electives.map((code) => ({ code, required: false })),
      ],
    },
  };
}

/** Content back into the form's fields, to fill the editor. */
export function formOf(content: CertificateContent, slug: string): CertificateForm {
  const codes = (required: boolean) =>
    content.courses
      .filter((c) => c.required === required)
      .map((c) => c.code)
      .join('\n');
  return {
    title: content.title,
    slug,
    description: content.description,
    level: content.level,
    creditsRequired: String(content.creditsRequired),
    isTranscripted: content.isTranscripted ? 'yes' : 'no',
    badgesRequired: content.badgesRequired === null ? '' : String(content.badgesRequired),
    outcome: content.outcome ?? '',
    programIds: content.programIds,
    requiredCourses: codes(true),
    electiveCourses: codes(false),
    note: '',
  };
}
