/**
 * The insight page's tables as data: the page renders them beside the charts and the CSV export writes the very
 * same cells, so a number on screen and in a file cannot disagree. Values stay raw here (counts, cents, a rate);
 * each presenter formats them its own way (the page with the institution's currency, the file as plain decimals).
 */

import type { Cell, FigureTable } from '../platform/figure-tables.ts';
import { enrolmentPathLabels } from '../programs/program-vocabulary.ts';
import { stateLabels } from '../progress/progress-parts.tsx';
import type { ProgramFigures } from './program-figures.ts';

export type { Cell } from '../platform/figure-tables.ts';

export interface InsightTable<Key extends string = InsightTableKey> extends FigureTable {
  /** The table's file name in its export: /programs/<id>/insight/<key>.csv, /insight/<key>.csv */
  key: Key;
}

export const insightTableKeys = [
  'terms',
  'outcomes',
  'progress',
  'needs',
  'paths',
  'badges',
  'fees',
] as const;
export type InsightTableKey = (typeof insightTableKeys)[number];

const text = (value: string): Cell => ({ kind: 'text', value });
const count = (value: number): Cell => ({ kind: 'count', value });

export function insightTables(f: ProgramFigures): Record<InsightTableKey, InsightTable> {
  return {
    terms: {
      key: 'terms',
      caption: 'Enrolments and completions per term',
      headers: ['Term', 'Enrolled', 'Completed'],
      rows: f.byTerm.map((t) => [text(t.term), count(t.enrolled), count(t.completed)]),
    },
    progress: {
      key: 'progress',
      caption: 'Learners still working toward the badge',
      headers: ['Where they stand', 'Learners'],
      rows: f.states.map((s) => [text(stateLabels[s.state]), count(s.count)]),
    },
    needs: {
      key: 'needs',
      caption: 'What they still need',
      headers: ['Requirement', 'Learners who need it'],
      rows: f.needs.map((n) => [text(n.requirement), count(n.learners)]),
    },
    paths: {
      key: 'paths',
      caption: 'Learners by enrolment path',
      headers: ['Enrolment path', 'Learners'],
      rows: f.paths.map((p) => [text(enrolmentPathLabels[p.path]), count(p.count)]),
    },
    outcomes: {
      key: 'outcomes',
      caption: 'Outcomes',
      headers: ['Figure', 'Value'],
      rows: [
        [text('Learners enrolled'), count(f.enrolled)],
        [text('Still working toward it'), count(f.inProgress)],
        [text('Withdrew'), count(f.withdrawn)],
        [text('Completed (badges that stand)'), count(f.completed)],
        [text('Completion rate'), { kind: 'rate', value: f.completionRate }],
        [text('Median time to complete'), { kind: 'days', value: f.medianDaysToComplete }],
        [text('Completed for credit'), count(f.cohorts.credit)],
        [text('Completed without credit'), count(f.cohorts.nonCredit)],
      ],
    },
    badges: {
      key: 'badges',
      caption: 'Badges',
      headers: ['Badges', 'Number'],
      rows: [
        [text('Issued'), count(f.badges.issued)],
        [text('Claimed by the learner'), count(f.badges.claimed)],
        [text('Shared (accepted, page public)'), count(f.badges.shared)],
        [text('Suspended now'), count(f.badges.suspended)],
        [text('Revoked'), count(f.badges.revoked)],
      ],
    },
    fees: {
      key: 'fees',
      caption: 'Fees',
      headers: ['Fees', 'Amount'],
      rows: [
        [text('Charged and standing'), { kind: 'cents', value: f.fees.postedCents }],
        [text(`Waived (${f.fees.waived})`), { kind: 'cents', value: f.fees.waivedCents }],
        [text(`Reversed after export (${f.fees.reversed})`), { kind: 'cents', value: f.fees.reversedCents }],
      ],
    },
  };
}
