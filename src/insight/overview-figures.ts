/**
 * The institution overview's tables, from counts the database grouped: programs by state and by department,
 * badges issued per month, and learners by enrolment path. Pure, so page, chart and CSV share the same cells.
 */
import {
  type CreditType,
  type EnrolmentPath,
  enrolmentPathLabels,
  type ProgramState,
  programStateLabels,
  programStates,
} from '../programs/program-vocabulary.ts';
import type { Cell, InsightTable } from './insight-tables.ts';

export interface OverviewCounts {
  programs: readonly { status: ProgramState; department: string | null; count: number }[];
  /** 'YYYY-MM' with the badges issued that month (in the institution's time zone). */
  badgesPerMonth: readonly { month: string; count: number }[];
  /** The badges issued in the period, and how many of those are claimed, shared and revoked now. */
  badges: { issued: number; claimed: number; shared: number; revoked: number };
  paths: readonly { path: EnrolmentPath; count: number }[];
  decisionsDue: readonly { title: string; dueOn: string; days: number; overdue: boolean }[];
}

export interface OverviewQuery {
  department?: string;
  creditType?: CreditType;
  /** A term's code: counts badges and enrolments within its dates instead of the last twelve months. */
  term?: string;
}

export interface InstitutionOverview {
  query: OverviewQuery;
  period: { from: string; to: string; term: string | null };
  choices: { departments: { code: string; name: string }[]; terms: { code: string; name: string }[] };
  counts: OverviewCounts;
  months: string[];
  charts: { states: string | null; months: string | null; paths: string | null };
}

export const overviewTableKeys = ['states', 'departments', 'months', 'badges', 'paths', 'decisions'] as const;
export type OverviewTableKey = (typeof overviewTableKeys)[number];

const text = (value: string): Cell => ({ kind: 'text', value });
const count = (value: number): Cell => ({ kind: 'count', value });
const pathOrder: readonly EnrolmentPath[] = ['new', 'non_degree', 'current', 'returning'];

/** Every month from `from` to `to` ('YYYY-MM', both included), so a month with no badge shows as 0, not a gap. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 1200; guard += 1) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (label > to) break;
    months.push(label);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

// One formatter for every month written: toLocaleDateString builds a new one per call (about 100 µs against 1).
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthName = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));

export function overviewTables(
  counts: OverviewCounts,
  months: readonly string[],
): { [K in OverviewTableKey]: InsightTable<K> } {
  const byState = new Map<ProgramState, number>();
  const byDepartment = new Map<string, number>();
  for (const row of counts.programs) {
    byState.set(row.status, (byState.get(row.status) ?? 0) + row.count);
    const department = row.department ?? 'No department';
    byDepartment.set(department, (byDepartment.get(department) ?? 0) + row.count);
  }
  const perMonth = new Map(counts.badgesPerMonth.map((m) => [m.month, m.count]));
  const perPath = new Map(counts.paths.map((p) => [p.path, p.count]));
  return {
    states: {
      key: 'states',
      caption: 'Programs by state',
      headers: ['State', 'Programs'],
      rows: programStates
        .filter((state) => byState.has(state))
        .map((state) => [text(programStateLabels[state]), count(byState.get(state)!)]),
    },
    departments: {
      key: 'departments',
      caption: 'Programs by department',
      headers: ['Department', 'Programs'],
      rows: [...byDepartment]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([department, n]) => [text(department), count(n)]),
    },
    months: {
      key: 'months',
      caption: 'Badges issued per month',
      headers: ['Month', 'Badges issued'],
      rows: months.map((month) => [text(monthName(month)), count(perMonth.get(month) ?? 0)]),
    },
    badges: {
      key: 'badges',
      caption: 'Badges issued in the period, as they stand',
      headers: ['Badges', 'Number'],
      rows: [
        [text('Issued'), count(counts.badges.issued)],
        [text('Claimed by the learner'), count(counts.badges.claimed)],
        [text('Shared (accepted, page public)'), count(counts.badges.shared)],
        [text('Revoked'), count(counts.badges.revoked)],
      ],
    },
    paths: {
      key: 'paths',
      caption: 'Learners enrolled by path',
      headers: ['Enrolment path', 'Enrolments'],
      rows: pathOrder.map((path) => [text(enrolmentPathLabels[path]), count(perPath.get(path) ?? 0)]),
    },
    decisions: {
      key: 'decisions',
      caption: 'Pilot decisions due within 90 days',
      headers: ['Program', 'Due', 'Days'],
      rows: counts.decisionsDue.map((d) => [
        text(d.title),
        text(d.dueOn),
        text(d.overdue ? `${d.days} overdue` : `${d.days} left`),
      ]),
    },
  };
}
