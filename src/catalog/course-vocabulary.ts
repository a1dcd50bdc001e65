/**
 * The words for a course's standing in the catalog, owned here: a course is `proposed` when a program proposal
 * named it before the registrar knew it, and `confirmed` once the registrar (or the student system's import) has.
 */
export const courseStatuses = ['proposed', 'confirmed'] as const;

export type CourseStatus = (typeof courseStatuses)[number];

export const courseStatusLabels: Readonly<Record<CourseStatus, string>> = {
  proposed: 'Proposed, waiting for the registrar',
  confirmed: 'Confirmed',
};

export const isCourseStatus = (value: unknown): value is CourseStatus =>
  typeof value === 'string' && (courseStatuses as readonly string[]).includes(value);
