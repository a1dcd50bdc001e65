/**
 * A lead's programs as a table they can sort: by name, state, how many learners are enrolled, completing or
 * completed, badges that stand, and the next review or decision due. Sorting is asked for in the address
 * (`?sort=enrolled&order=desc`), so it works without JavaScript and a sorted view can be bookmarked. Pure.
 */
import { type ProgramState, programStates } from '../programs/program-vocabulary.ts';

export interface LedProgramRow {
  id: string;
  slug: string;
  title: string;
  status: ProgramState;
  /** Enrolments not withdrawn (still working, or finished). */
  enrolled: number;
  /** Learners who asked for the badge and wait for it (requested or approved, not yet issued). */
  completing: number;
  /** Enrolments the student record marks completed. */
  completed: number;
  /** Badges issued that stand (not revoked). */
  badges: number;
  /** The next review or decision due on the program ('YYYY-MM-DD'), overdue ones included; null when none. */
  nextDue: string | null;
}

export const ledSortKeys = [
  'title',
  'state',
  'enrolled',
  'completing',
  'completed',
  'badges',
  'due',
] as const;
export type LedSortKey = (typeof ledSortKeys)[number];
export type SortOrder = 'asc' | 'desc';

export interface LedSort {
  key: LedSortKey;
  order: SortOrder;
}

/** What a column sorts by first when its header is chosen: counts largest first, names and dates from the start. */
export const firstOrder: Record<LedSortKey, SortOrder> = {
  title: 'asc',
  state: 'asc',
  enrolled: 'desc',
  completing: 'desc',
  completed: 'desc',
  badges: 'desc',
  due: 'asc',
};

const stateRank = new Map(programStates.map((state, index) => [state, index]));

function compareBy(key: LedSortKey, a: LedProgramRow, b: LedProgramRow): number {
  switch (key) {
    case 'title':
      return a.title.localeCompare(b.title);
    case 'state':
      return (stateRank.get(a.status) ?? 0) - (stateRank.get(b.status) ?? 0);
    case 'due':
      // A program with nothing due is not urgent: it goes after every dated one, whichever the order.
      return (a.nextDue ?? '9999-12-31').localeCompare(b.nextDue ?? '9999-12-31');
    default:
      return a[key] - b[key];
  }
}

/** The rows in the asked order; equal rows keep the title order, so the page is stable across reloads. */
export function sortLedPrograms(rows: readonly LedProgramRow[], sort: LedSort): LedProgramRow[] {
  const sign = sort.order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const first = compareBy(sort.key, a, b);
    if (first !== 0) {
      if (sort.key === 'due' && (a.nextDue === null || b.nextDue === null)) return first;
      return sign * first;
    }
    return a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
  });
}
