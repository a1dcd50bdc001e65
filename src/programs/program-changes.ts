/**
 * What kind of change an edit to an approved program is. Pure: the service asks it which path the edit takes.
 *
 * Only wording that describes the program to a reader is a "wording fix" the credentials office may publish
 * at once. Anything a learner's obligations, money or credential depend on (fee, courses, requirements,
 * credits, outcomes, credit type), and anything else printed on a badge (title, level, skills, validity), is
 * substantive and waits for the modification chain: a wrong title on a signed badge cannot be taken back.
 */
import type { ProgramFields } from './program-form.ts';

/** The fields a wording fix may touch. */
export const WORDING_FIELDS: readonly (keyof ProgramFields)[] = ['summary', 'description'];

export type ChangeKind = 'none' | 'wording' | 'substantive';

export function kindOfChange(changed: readonly string[]): ChangeKind {
  if (changed.length === 0) return 'none';
  return changed.every((field) => (WORDING_FIELDS as readonly string[]).includes(field))
    ? 'wording'
    : 'substantive';
}

/**
 * The program as it will be once a modification is published: the fields the modification changed, over the
 * program as it is now. A wording fix published while the modification waited is kept, not undone.
 */
export function withChanges(
  current: ProgramFields,
  proposed: ProgramFields,
  changed: readonly string[],
): ProgramFields {
  const result: Record<string, unknown> = { ...current };
  for (const field of changed) {
    if (field in proposed) result[field] = proposed[field as keyof ProgramFields];
  }
  return result as unknown as ProgramFields;
}
