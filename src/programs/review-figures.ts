import type { BarChart } from '../platform/charts.ts';
import type { FigureTable } from '../platform/figure-tables.ts';

/**
 * The program's figures for a review's period, as the insight module computes them: its tables, and its charts
 * as data (drawn when shown), so a submitted review keeps both exactly as they stood.
 */
export interface ProgramFigureSheet {
  /** 'YYYY-MM-DD' the figures were computed on; the learners' standing is as of that day. */
  asOf: string;
  charts: BarChart[];
  tables: FigureTable[];
}

/**
 * How reviews read the program's figures: handed over in `app.ts`, since the insight module owns the figures and
 * reads programs itself.
 */
export type ProgramFiguresForPeriod = (
  programId: string,
  period: { from: string; to: string },
) => Promise<ProgramFigureSheet>;

/** What a review keeps in its `figures` column once submitted. */
export interface FrozenFigures {
  records?: RecordFigures;
  /** Absent for reviews submitted before the program's figures were kept (migration 0045). */
  program?: ProgramFigureSheet;
}

/** The enrolment counts of a review's period, read from the learners' records by the reviews' own query. */
export interface RecordFigures {
  newEnrolments: number;
  activeEnrolments: number;
  completedEnrolments: number;
  courseCompletions: number;
}
