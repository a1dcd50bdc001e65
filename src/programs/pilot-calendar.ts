/**
 * Dates that govern a pilot: the (up to) three academic years it may run, the yearly review due at the end
 * of each, and the decision (full proposal or withdrawal) due when the third year begins.
 *
 * All dates are ISO calendar dates ('YYYY-MM-DD') interpreted in UTC. Nothing reads the clock: callers pass
 * `today` where it matters, so the same input always gives the same answer.
 */

import { formatDate } from '../platform/http/moment.ts';

/** Number of academic years a pilot may run before it must be made permanent or retired. */
export const pilotLengthInYears = 3;

export interface PilotYear {
  /** 1, 2 or 3. */
  number: number;
  /** Academic-year label, e.g. '2025-26'. */
  academicYear: string;
  /** First day of the pilot within this year (the pilot start date for a partial first year). */
  startsOn: string;
  /** Last day of this academic year. */
  endsOn: string;
  /** The yearly program review is due on the last day of the academic year. */
  reviewDueOn: string;
}

export interface PilotCalendar {
  startsOn: string;
  years: PilotYear[];
  /** Start of the third academic year: the lead must say whether to propose permanence or withdraw. */
  decisionDueOn: string;
  /** The pilot cannot run past this date. */
  endsOn: string;
}

export interface PilotCalendarOptions {
  /** Month (1-12) in which the academic year starts; 9 (September) unless the institution says otherwise. */
  academicYearStartMonth?: number;
  /**
   * Whether a pilot approved part-way through an academic year spends that remainder as its first year
   * ('counts', the reading of "up to three academic years") or starts counting at the next academic year
   * ('skips', for institutions that treat the remainder as preparation time).
   */
  partialFirstYear?: 'counts' | 'skips';
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

// The staff homes and the overview lay out every program's reviews on each visit (500 programs: thousands of
// dates), so these read and write dates with arithmetic and one Date per date written, not a Date per check.
function parseIsoDate(value: string): YearMonthDay {
  const match = isoPattern.exec(value);
  if (match === null) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${value}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Dates such as 2025-02-30, which Date would silently roll over, are refused.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`"${value}" is not a real date`);
  }
  return { year, month, day };
}

/** Days in a month of the proleptic Gregorian calendar, as Date counts them. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function utcMs(year: number, month: number, day: number): number {
  // setUTCFullYear avoids Date.UTC's mapping of years 0-99 onto 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function formatIsoDate(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function addDays(iso: string, days: number): string {
  const { year, month, day } = parseIsoDate(iso);
  return formatIsoDate(utcMs(year, month, day) + days * dayMs);
}

function checkStartMonth(startMonth: number): void {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw new RangeError(`The academic year must start in a month from 1 to 12, got ${startMonth}`);
  }
}

/** Calendar year in which the academic year containing `date` began. */
function academicStartYear(date: YearMonthDay, startMonth: number): number {
  return date.month >= startMonth ? date.year : date.year - 1;
}

const firstDayOf = (year: number, startMonth: number): string => `${pad(year, 4)}-${pad(startMonth, 2)}-01`;

/** The last day of the academic year that starts in `startMonth` of `startYear`: the day before the next one starts. */
function lastDayOf(startYear: number, startMonth: number): string {
  if (startMonth === 1) return `${pad(startYear, 4)}-12-31`;
  const month = startMonth - 1;
  return `${pad(startYear + 1, 4)}-${pad(month, 2)}-${pad(daysInMonth(startYear + 1, month), 2)}`;
}

function labelOf(startYear: number, startMonth: number): string {
  const endYear = startMonth === 1 ? startYear : startYear + 1;
  // An academic year that starts in January fits in one calendar year, so it gets a one-year label.
  return endYear === startYear ? String(startYear) : `${startYear}-${String(endYear % 100).padStart(2, '0')}`;
}

/**
 * The academic year a date falls in, labelled by its start and end calendar years: with a September start,
 * 2025-10-01 and 2026-08-31 are both in '2025-26'. A January start gives single-year labels such as '2025'.
 */
export function academicYearOf(date: string, startMonth = 9): string {
  checkStartMonth(startMonth);
  return labelOf(academicStartYear(parseIsoDate(date), startMonth), startMonth);
}

/** The last day of the academic year `date` falls in: with a September start, 2026-08-31 for 2025-10-01. */
export function academicYearEndOf(date: string, startMonth = 9): string {
  checkStartMonth(startMonth);
  return lastDayOf(academicStartYear(parseIsoDate(date), startMonth), startMonth);
}

/**
 * The day before the same calendar date `years` later: the last day of a span of whole years starting on `date`.
 * A span starting on 29 February ends on 28 February.
 */
export function lastDayOfYearsFrom(date: string, years: number): string {
  const { year, month, day } = parseIsoDate(date);
  // 29 February in a year without one rolls over to 1 March, so the day before is 28 February.
  return formatIsoDate(utcMs(year + years, month, day) - dayMs);
}

/**
 * Why a pilot may not start on `startsOn` when approved on `today`, or undefined when it may. The office may
 * date it back up to a year (a body's decision recorded late) or ahead up to two years (the academic year the
 * department plans to launch in), not further, so a mistyped year is caught.
 */
export function pilotStartRefusal(startsOn: string, today: string): string | undefined {
  if (!isoPattern.test(startsOn)) return 'must be a date written as YYYY-MM-DD';
  try {
    parseIsoDate(startsOn);
  } catch {
    return 'is not a real date';
  }
  const earliest = addDays(today, -365);
  const latest = addDays(today, 2 * 365);
  if (startsOn < earliest)
    return `must not be more than a year before the approval (${earliest} at the earliest)`;
  if (startsOn > latest) return `must be within two years of the approval (${latest} at the latest)`;
  return undefined;
}

/** The day after `date`. */
export const dayAfter = (date: string): string => addDays(date, 1);

/**
 * Lays out a pilot that starts on `pilotStart`: its three academic years, the review due at the end of each,
 * and the decision due at the start of the third year.
 */
export function computePilotCalendar(pilotStart: string, options: PilotCalendarOptions = {}): PilotCalendar {
  const startMonth = options.academicYearStartMonth ?? 9;
  checkStartMonth(startMonth);
  const start = parseIsoDate(pilotStart);
  let firstYear = academicStartYear(start, startMonth);
  if (options.partialFirstYear === 'skips' && firstDayOf(firstYear, startMonth) !== pilotStart)
    firstYear += 1;

  const years: PilotYear[] = [];
  for (let i = 0; i < pilotLengthInYears; i++) {
    const startYear = firstYear + i;
    const yearStart = firstDayOf(startYear, startMonth);
    const endsOn = lastDayOf(startYear, startMonth);
    years.push({
      number: i + 1,
      academicYear: labelOf(startYear, startMonth),
      // ISO dates compare correctly as strings.
      startsOn: yearStart < pilotStart ? pilotStart : yearStart,
      endsOn,
      reviewDueOn: endsOn,
    });
  }
  return {
    startsOn: pilotStart,
    years,
    decisionDueOn: firstDayOf(firstYear + pilotLengthInYears - 1, startMonth),
    endsOn: lastDayOf(firstYear + pilotLengthInYears - 1, startMonth),
  };
}

/**
 * Dates on which to send reminders ahead of `due`, one per offset in days (0 means on the day itself),
 * earliest first and without duplicates.
 */
export function reminderDates(due: string, offsetsDays: readonly number[] = [30, 7, 1]): string[] {
  parseIsoDate(due);
  for (const offset of offsetsDays) {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new RangeError(`Reminder offsets must be whole numbers of days, zero or more; got ${offset}`);
    }
  }
  const unique = [...new Set(offsetsDays)].sort((a, b) => b - a);
  return unique.map((offset) => addDays(due, -offset));
}

/** A due date is overdue from the day after it; on the due date itself there is still time. */
export function isOverdue(due: string, today: string): boolean {
  parseIsoDate(due);
  parseIsoDate(today);
  return today > due;
}

/**
 * The calendar date of a moment where the institution is ('YYYY-MM-DD'): a daily run just after midnight in
 * Vancouver is still the previous day in UTC, and reminders must count days as the people receiving them do.
 */
export function calendarDateIn(moment: Date, timeZone: string): string {
  // The pages' own day formatter, kept per zone: making one costs far more than using it.
  return formatDate(moment, timeZone);
}
