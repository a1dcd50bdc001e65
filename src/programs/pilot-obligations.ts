/**
 * What a running pilot owes and when: a review at the end of each of its academic years, and the decision
 * (full proposal or retirement) when the third year begins. Pure: callers pass the programs and `today`.
 */

import { computePilotCalendar, isOverdue, type PilotCalendar, reminderDates } from './pilot-calendar.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { isUnderPilot } from './program-vocabulary.ts';

export interface PilotProgram {
  id: string;
  title: string;
  status: ProgramState;
  leadUserId: string | null;
  leadName: string | null;
  leadEmail: string | null;
  /** The day the pilot was approved, when known. */
  startedOn: string | null;
  /** The academic year the pilot started in, for programs that only record that. */
  startYear: number | null;
  /** Years (1-3) whose review has been submitted. */
  submittedYears: readonly number[];
}

export interface Obligation {
  kind: 'pilot_review' | 'pilot_decision' | 'periodic_review';
  programId: string;
  title: string;
  leadUserId: string | null;
  leadName: string | null;
  leadEmail: string | null;
  /** For reviews: which pilot year, or which periodic review (1 for the first after establishment). */
  year?: number;
  academicYear?: string;
  dueOn: string;
  /** Identifies the obligation in the reminders log. */
  subjectId: string;
  label: string;
  /** The page where the lead does what is owed. */
  path: string;
}

export type DatedObligation = Obligation & { days: number };

/** Offsets, in days before the due date, on which reminders go out. */
export const reminderOffsets = [30, 7, 1] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The calendar of a pilot, from its start day or, failing that, the first day of its starting academic year. */
export function calendarOf(
  program: Pick<PilotProgram, 'startedOn' | 'startYear'>,
  startMonth: number,
): PilotCalendar | undefined {
  const start =
    program.startedOn ?? (program.startYear ? `${program.startYear}-${pad2(startMonth)}-01` : null);
  return start ? computePilotCalendar(start, { academicYearStartMonth: startMonth }) : undefined;
}

/** Everything still owed by the given programs: unsubmitted reviews while the pilot runs, and pending decisions. */
export function pilotObligations(programs: readonly PilotProgram[], startMonth: number): Obligation[] {
  const owed: Obligation[] = [];
  for (const program of programs) {
    if (!isUnderPilot(program.status)) continue;
    const calendar = calendarOf(program, startMonth);
    if (!calendar) continue;
    // Written out rather than spread from a shared part: spreading cost more than the rest of the loop.
    for (const year of calendar.years) {
      if (program.submittedYears.includes(year.number)) continue;
      owed.push({
        kind: 'pilot_review',
        programId: program.id,
        title: program.title,
        leadUserId: program.leadUserId,
        leadName: program.leadName,
        leadEmail: program.leadEmail,
        year: year.number,
        academicYear: year.academicYear,
        dueOn: year.reviewDueOn,
        subjectId: `${program.id}/year-${year.number}`,
        label: `Year ${year.number} review (${year.academicYear})`,
        path: `/programs/${program.id}/reviews/${year.number}`,
      });
    }
    if (program.status === 'pilot') {
      owed.push({
        kind: 'pilot_decision',
        programId: program.id,
        title: program.title,
        leadUserId: program.leadUserId,
        leadName: program.leadName,
        leadEmail: program.leadEmail,
        dueOn: calendar.decisionDueOn,
        subjectId: program.id,
        label: 'Post-pilot decision: full proposal or retirement',
        path: `/programs/${program.id}`,
      });
    }
  }
  return owed.sort(byDueDayThenTitle);
}

/**
 * Obligations in the order they are listed: soonest due first, then by program title. The days are ISO dates, which
 * sort as plain strings (the locale's collation, hundreds of times per page, is kept for the titles).
 */
export function byDueDayThenTitle(a: Obligation, b: Obligation): number {
  if (a.dueOn !== b.dueOn) return a.dueOn < b.dueOn ? -1 : 1;
  return a.title.localeCompare(b.title);
}

const dayMs = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/**
 * Splits obligations into those overdue (days late) and those due within `windowDays` (days left, 0 on the
 * due day itself). Later ones are left out.
 */
export function classifyObligations(obligations: readonly Obligation[], today: string, windowDays = 30) {
  const overdue: DatedObligation[] = [];
  const dueSoon: DatedObligation[] = [];
  for (const obligation of obligations) {
    if (isOverdue(obligation.dueOn, today)) {
      overdue.push({ ...obligation, days: daysBetween(obligation.dueOn, today) });
    } else {
      const left = daysBetween(today, obligation.dueOn);
      if (left <= windowDays) dueSoon.push({ ...obligation, days: left });
    }
  }
  return { overdue, dueSoon };
}

/**
 * Which reminder is due today for a due date: 'overdue' once it has passed, otherwise the latest of the
 * 30/7/1-day reminders whose day has come ('in_30_days', 'in_7_days', 'in_1_day'), or undefined when it is further away than the first reminder.
 * A missed daily run sends only the latest reminder, not every one it missed.
 */
export function reminderStage(dueOn: string, today: string): string | undefined {
  if (isOverdue(dueOn, today)) return 'overdue';
  const dates = reminderDates(dueOn, reminderOffsets);
  let stage: string | undefined;
  const offsets = [...reminderOffsets].sort((a, b) => b - a);
  dates.forEach((date, index) => {
    const days = offsets[index]!;
    if (date <= today) stage = days === 1 ? 'in_1_day' : `in_${days}_days`;
  });
  return stage;
}
