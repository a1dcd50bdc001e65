import type { EnrolmentPath } from '../../src/programs/program-vocabulary.ts';
import {
  aCourse,
  aLearner,
  anEnrolment,
  aProgram,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from './builders.ts';
import type { TestApp } from './test-app.ts';

/**
 * A two-course pilot whose first year ran from 2025-09-01 to 2026-08-31, so it is reviewable from a clock set
 * after that, with one learner (no account) per enrolment given. The review tests count these enrolments by
 * year and by path, so each test names its own dates and paths.
 */
export async function aPilotWithEnrolments(
  app: TestApp,
  fields: {
    title: string;
    lead: Person;
    enrolments: readonly { path?: EnrolmentPath; enrolledOn: string }[];
  },
): Promise<{ pilot: BuiltProgram; learners: BuiltLearner[] }> {
  const courses = [(await aCourse(app)).code, (await aCourse(app)).code];
  const pilot = await aProgram(app, {
    title: fields.title,
    lead: fields.lead,
    courses,
    status: 'pilot',
    pilotStartYear: 2025,
    pilotStartedOn: '2025-09-01',
  });
  const learners: BuiltLearner[] = [];
  for (const enrolment of fields.enrolments) {
    const learner = await aLearner(app, { account: false });
    await anEnrolment(app, learner, pilot, enrolment);
    learners.push(learner);
  }
  return { pilot, learners };
}
