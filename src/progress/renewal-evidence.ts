/**
 * What counts toward renewing a badge: only work done after the badge was awarded. A renewal asks the learner to
 * show they kept up (a refresher course, continuing-education hours), so the courses that earned the badge the
 * first time cannot earn it again. Pure.
 */
import type { LearnerRecord } from '../requirements/index.ts';

/** The learner's record with only the completions and sign-offs dated after `awardedOn` ('YYYY-MM-DD'). */
export function workSince(record: LearnerRecord, awardedOn: string): LearnerRecord {
  return {
    completions: record.completions.filter((c) => c.completedOn.slice(0, 10) > awardedOn),
    experiences: record.experiences.filter((e) => e.signedOffOn.slice(0, 10) > awardedOn),
    // An approved substitution is a standing decision about the program, not work dated before or after.
    substitutions: record.substitutions,
  };
}
