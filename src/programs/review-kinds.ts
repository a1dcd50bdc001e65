/**
 * The two kinds of program review as data: a pilot's yearly review and an established program's periodic review
 * ask the same questions (worded for their span), keep the same figures and follow the same rules; only their
 * words, their address and how their period is found (`review-periods.ts`) differ.
 */
import type { ReviewKindName } from './programs.tables.ts';

export type { ReviewKindName } from './programs.tables.ts';

export const reviewQuestionNames = [
  'highlights',
  'challenges',
  'learner_feedback',
  'changes_planned',
] as const;
export type ReviewQuestionName = (typeof reviewQuestionNames)[number];
export type ReviewAnswers = Record<ReviewQuestionName, string>;

export interface ReviewQuestion {
  name: ReviewQuestionName;
  label: string;
  required: boolean;
}

export interface ReviewKind {
  name: ReviewKindName;
  /** The review's address: /programs/<id>/<segment>/<number>. */
  segment: 'reviews' | 'periodic-reviews';
  /** 'pilot review', 'periodic review': in headings and messages. */
  noun: string;
  heading: (number: number) => string;
  /** The narrative questions, in the order the form asks them. */
  questions: readonly ReviewQuestion[];
  /** How the form speaks of the period in its figures: 'this year'. */
  figureWords: string;
  /** Why a review cannot be written while the program is in another state. */
  closedMessage: string;
  /** Why a review cannot be submitted before its period starts. */
  tooEarlyMessage: (number: number, startsOn: string) => string;
  audit: { saved: string; submitted: string };
}

const required = (name: ReviewQuestionName, label: string): ReviewQuestion => ({
  name,
  label,
  required: true,
});

export const pilotReview: ReviewKind = {
  name: 'pilot_review',
  segment: 'reviews',
  noun: 'pilot review',
  heading: (year) => `Year ${year} pilot review`,
  questions: [
    required('highlights', 'What went well this year'),
    required('challenges', 'What was difficult, and why'),
    { name: 'learner_feedback', label: 'What learners and partners said', required: false },
    required('changes_planned', 'Changes planned for next year'),
  ],
  figureWords: 'this year',
  closedMessage: 'Reviews are written only while the program runs as a pilot',
  tooEarlyMessage: (year, startsOn) =>
    `Year ${year} of the pilot starts on ${startsOn}; it can be reviewed from then`,
  audit: { saved: 'program.review_saved', submitted: 'program.review_submitted' },
};

export const periodicReview: ReviewKind = {
  name: 'periodic_review',
  segment: 'periodic-reviews',
  noun: 'periodic review',
  heading: (cycle) => `Periodic review ${cycle}`,
  questions: [
    required('highlights', 'What went well since the last review'),
    required('challenges', 'What was difficult, and why'),
    { name: 'learner_feedback', label: 'What learners, employers and partners said', required: false },
    required('changes_planned', 'Changes planned for the next period'),
  ],
  figureWords: 'in this period',
  closedMessage: 'Periodic reviews are written only while the program is established',
  tooEarlyMessage: (_cycle, startsOn) =>
    `This review period starts on ${startsOn}; it can be submitted from then`,
  audit: { saved: 'program.periodic_review_saved', submitted: 'program.periodic_review_submitted' },
};

export const reviewKinds: Readonly<Record<ReviewKindName, ReviewKind>> = {
  pilot_review: pilotReview,
  periodic_review: periodicReview,
};
