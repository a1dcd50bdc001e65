import { toCsv } from '../platform/csv.ts';
import { awardStatusLabels } from './award-status.ts';
import type { ProgramLearnerProgress } from './progress.service.ts';
import { stateLabels } from './progress-parts.tsx';

const header = [
  'Name',
  'E-mail',
  'Student ID',
  'Enrolled on',
  'Status',
  'Percent complete',
  'Credits counted',
  'Where they stand',
  'Still needed',
  'Last activity',
  'Badge',
];

/** A program's learners as CSV, one row each under a header row, in the order given. */
export function programProgressCsv(learners: readonly ProgramLearnerProgress[]): string {
  return toCsv([
    header,
    ...learners.map((learner) => [
      learner.name,
      learner.email,
      learner.studentId,
      learner.enrolledOn,
      stateLabels[learner.progress.status],
      learner.progress.percent,
      learner.progress.creditsEarned,
      learner.progress.explanation,
      learner.progress.missing.join('; '),
      learner.progress.lastActivityOn,
      awardStatusLabels[learner.awardStatus],
    ]),
  ]);
}
