/**
 * Calendar days as plain integers (days since 1970-01-01), so the evaluator compares dates with `<` and
 * never builds Date objects. Dates are read as written: '2024-05-01T23:00:00-05:00' is May 1, the day the
 * registrar recorded, whatever the UTC instant.
 *
 * The conversions use the proleptic Gregorian "civil date" arithmetic popularised by Howard Hinnant:
 * shifting the year to start in March puts the leap day last, so month lengths follow a simple formula.
 */

const daysPer400Years = 146_097;
// Day number of 0000-03-01, the start of the March-based era the arithmetic counts from.
const epochShift = 719_468;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Reads 'YYYY-MM-DD' (optionally followed by 'T' or a space and a time) as a day number; null if invalid. */
export function parseCalendarDay(value: unknown): number | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  if (value.length > 10 && value[10] !== 'T' && value[10] !== ' ') return null;
  if (value[4] !== '-' || value[7] !== '-') return null;
  const year = readDigits(value, 0, 4);
  const month = readDigits(value, 5, 7);
  const day = readDigits(value, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberOf({ year, month, day });
}

/** Formats a day number as 'YYYY-MM-DD'. */
export function formatCalendarDay(dayNumber: number): string {
  const { year, month, day } = civilDateOf(dayNumber);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * Moves a day by whole calendar months. When the target month is shorter the date is clamped to its last
 * day, so February 29 minus one year is February 28 and January 31 plus one month is the end of February.
 */
export function addCalendarMonths(dayNumber: number, months: number): number {
  const { year, month, day } = civilDateOf(dayNumber);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return dayNumberOf({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

function readDigits(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index += 1) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function dayNumberOf({ year, month, day }: CivilDate): number {
  // Treat January and February as months 13 and 14 of the previous year.
  const marchYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchYear / 400);
  const yearOfEra = marchYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * daysPer400Years + dayOfEra - epochShift;
}

function civilDateOf(dayNumber: number): CivilDate {
  const shifted = dayNumber + epochShift;
  const era = Math.floor(shifted / daysPer400Years);
  const dayOfEra = shifted - era * daysPer400Years;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}
