/**
 * The figures a program's insight page, its review and its exports show, computed from plain rows with no I/O,
 * so the chart, the table beside it and the CSV file are the same numbers by construction.
 *
 * Terms are the institution's own (the catalog's term list, with start and end dates). A day that falls between
 * two terms counts toward the one that ended last: grades and awards land in the weeks after a term's last class.
 */
import type { CredentialStatusName } from '../credentials/status-names.ts';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';
import type { ProgressState } from '../progress/enrolment-progress.ts';

/** 'YYYY-MM-DD' */
type Day = string;

export interface TermRow {
  code: string;
  name: string;
  startsOn: Day;
  endsOn: Day;
}

export interface EnrolmentFact {
  learnerId: string;
  path: EnrolmentPath;
  enrolledOn: Day;
  status: 'active' | 'withdrawn' | 'completed';
}

export interface AwardFact {
  learnerId: string;
  creditMode: 'credit' | 'non_credit';
  /** The day the learner finished (the completion date), or the issue day when none was recorded. */
  completedOn: Day;
  credentialStatus: CredentialStatusName;
  claimed: boolean;
  /** Accepted by its learner with its page public (the backpack's rule, badge-sharing.ts). */
  shared: boolean;
  fee: { status: 'posted' | 'waived' | 'reversed'; cents: number } | null;
}

/** Where one enrolled learner stands today, as the progress module measures it. */
export interface ProgressFact {
  learnerId: string;
  state: ProgressState;
  /** What is still needed, each in a few words ('COMM 330', '4 more credits'). */
  missing: readonly string[];
}

export interface TermCount {
  /** The term's name, or an academic year ('2024–25') for days no term of the list covers. */
  term: string;
  enrolled: number;
  completed: number;
}

export interface ProgramFigures {
  enrolled: number;
  /** Enrolled, not withdrawn, and without a badge that stands yet. */
  inProgress: number;
  withdrawn: number;
  /** Badges that stand (not revoked). */
  completed: number;
  /** completed / enrolled, 0..1; null before anyone enrolled. */
  completionRate: number | null;
  /** Median days from enrolment to completion over learners with both; null when there are none. */
  medianDaysToComplete: number | null;
  byTerm: TermCount[];
  /** Learners still working toward the badge, by how they are doing. */
  states: { state: ProgressState; count: number }[];
  /** What those learners still need, most needed first: where they stall. */
  needs: { requirement: string; learners: number }[];
  paths: { path: EnrolmentPath; count: number }[];
  cohorts: { credit: number; nonCredit: number };
  badges: { issued: number; claimed: number; shared: number; suspended: number; revoked: number };
  /** What the fee earned: charges that stand (posted), and those cancelled before (waived) or after (reversed) export. */
  fees: { postedCents: number; waived: number; waivedCents: number; reversed: number; reversedCents: number };
}

const pathOrder: readonly EnrolmentPath[] = ['new', 'non_degree', 'current', 'returning'];
// From furthest along to not begun; 'complete' here means requirements met with the badge not yet issued.
const stateOrder: readonly ProgressState[] = [
  'complete',
  'close',
  'in_progress',
  'stalled',
  'not_started',
  'unreadable',
];

export function programFigures(input: {
  enrolments: readonly EnrolmentFact[];
  awards: readonly AwardFact[];
  progress: readonly ProgressFact[];
  terms: readonly TermRow[];
  academicYearStartMonth: number;
}): ProgramFigures {
  const { enrolments, awards } = input;
  const termOf = termFinder(input.terms, input.academicYearStartMonth);
  const standing = awards.filter((a) => a.credentialStatus !== 'revoked');

  const byTerm = new Map<string, TermCount & { sort: string }>();
  const bump = (day: Day, key: 'enrolled' | 'completed') => {
    const { name, sort } = termOf(day);
    const row = byTerm.get(name) ?? { term: name, sort, enrolled: 0, completed: 0 };
    row[key] += 1;
    byTerm.set(name, row);
  };
  for (const e of enrolments) bump(e.enrolledOn, 'enrolled');
  for (const a of standing) bump(a.completedOn, 'completed');

  const finished = new Set(standing.map((a) => a.learnerId));
  const enrolledOn = new Map(enrolments.map((e) => [e.learnerId, e.enrolledOn]));
  const durations = standing.flatMap((a) => {
    const start = enrolledOn.get(a.learnerId);
    return start ? [daysBetween(start, a.completedOn)] : [];
  });

  const working = new Set(
    enrolments.filter((e) => e.status !== 'withdrawn' && !finished.has(e.learnerId)).map((e) => e.learnerId),
  );
  const current = input.progress.filter((p) => working.has(p.learnerId));
  const needed = new Map<string, number>();
  for (const p of current)
    for (const item of new Set(p.missing)) needed.set(item, (needed.get(item) ?? 0) + 1);

  const fees = { postedCents: 0, waived: 0, waivedCents: 0, reversed: 0, reversedCents: 0 };
  for (const a of awards) {
    if (!a.fee) continue;
    if (a.fee.status === 'posted') fees.postedCents += a.fee.cents;
    if (a.fee.status === 'waived') {
      fees.waived += 1;
      fees.waivedCents += a.fee.cents;
    }
    if (a.fee.status === 'reversed') {
      fees.reversed += 1;
      fees.reversedCents += a.fee.cents;
    }
  }

  return {
    enrolled: enrolments.length,
    inProgress: working.size,
    withdrawn: enrolments.filter((e) => e.status === 'withdrawn').length,
    completed: standing.length,
    completionRate: enrolments.length === 0 ? null : Math.min(1, standing.length / enrolments.length),
    medianDaysToComplete: median(durations),
    byTerm: [...byTerm.values()]
      .sort((a, b) => a.sort.localeCompare(b.sort))
      .map(({ term, enrolled, completed }) => ({ term, enrolled, completed })),
    states: stateOrder
      .map((state) => ({ state, count: current.filter((p) => p.state === state).length }))
      .filter((s) => s.count > 0),
    needs: [...needed]
      .map(([requirement, learners]) => ({ requirement, learners }))
      .sort((a, b) => b.learners - a.learners || a.requirement.localeCompare(b.requirement)),
    paths: pathOrder.map((path) => ({ path, count: enrolments.filter((e) => e.path === path).length })),
    cohorts: {
      credit: standing.filter((a) => a.creditMode === 'credit').length,
      nonCredit: standing.filter((a) => a.creditMode === 'non_credit').length,
    },
    badges: {
      issued: awards.length,
      claimed: awards.filter((a) => a.claimed).length,
      shared: awards.filter((a) => a.shared).length,
      suspended: awards.filter((a) => a.credentialStatus === 'suspended').length,
      revoked: awards.filter((a) => a.credentialStatus === 'revoked').length,
    },
    fees,
  };
}

/** A span of days, both ends included: a review's year or period. */
export interface Period {
  from: Day;
  to: Day;
}

/**
 * The facts of one period: the enrolments made in it and the awards completed in it. Where those learners stand
 * (`progress`) is as it is when asked, since nobody's past progress is kept.
 */
export function factsWithin<T extends { enrolments: readonly EnrolmentFact[]; awards: readonly AwardFact[] }>(
  input: T,
  { from, to }: Period,
): T {
  return {
    ...input,
    enrolments: input.enrolments.filter((e) => e.enrolledOn >= from && e.enrolledOn <= to),
    awards: input.awards.filter((a) => a.completedOn >= from && a.completedOn <= to),
  };
}

/**
 * The term a day counts toward: the term that covers it, else the last one that ended before it, else (before
 * the first term on the list, or with no list) the academic year it falls in. `sort` orders the results in time.
 */
export function termFinder(terms: readonly TermRow[], academicYearStartMonth: number) {
  const ordered = [...terms].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  return (day: Day): { name: string; sort: string } => {
    let found: TermRow | undefined;
    for (const term of ordered) {
      if (term.startsOn > day) break;
      found = term;
    }
    if (found) return { name: found.name, sort: found.startsOn };
    const year = Number(day.slice(0, 4));
    const month = Number(day.slice(5, 7));
    const first = month >= academicYearStartMonth ? year : year - 1;
    const name = academicYearStartMonth === 1 ? String(first) : `${first}–${String(first + 1).slice(2)}`;
    return { name, sort: `${first}-${String(academicYearStartMonth).padStart(2, '0')}-00` };
  };
}

export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
