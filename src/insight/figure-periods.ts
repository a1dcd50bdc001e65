/**
 * How a period of days ('YYYY-MM-DD', both ends included) is read from figures kept per month and per day: the whole
 * months inside it from the months, the days before and after them from the days. Pure.
 */
export interface PeriodParts {
  /** Whole months: first days from `from` (included) to `until` (excluded); null when the period holds none. */
  months: { from: string; until: string } | null;
  /** Day ranges, both ends included, outside those months. */
  days: { from: string; to: string }[];
}

export function periodParts(from: string, to: string): PeriodParts {
  if (from > to) return { months: null, days: [] };
  const firstWhole = from.endsWith('-01') ? from : firstOfNextMonth(from);
  // The month after the last whole one: the month of the day after `to`.
  const untilWhole = `${nextDay(to).slice(0, 7)}-01`;
  if (firstWhole >= untilWhole) return { months: null, days: [{ from, to }] };
  const days: PeriodParts['days'] = [];
  if (from < firstWhole) days.push({ from, to: previousDay(firstWhole) });
  if (untilWhole <= to) days.push({ from: untilWhole, to });
  return { months: { from: firstWhole, until: untilWhole }, days };
}

const utc = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

function nextDay(day: string): string {
  const d = utc(day);
  d.setUTCDate(d.getUTCDate() + 1);
  return iso(d);
}

function previousDay(day: string): string {
  const d = utc(day);
  d.setUTCDate(d.getUTCDate() - 1);
  return iso(d);
}

function firstOfNextMonth(day: string): string {
  const d = utc(`${day.slice(0, 7)}-01`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return iso(d);
}
