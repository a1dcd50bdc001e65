import { currentDisplay } from '../display.ts';

/**
 * A formatter per zone for one set of options, made on first use: building an Intl.DateTimeFormat costs far more than
 * using one, and pages show many dates.
 */
function formattersByZone(options: Intl.DateTimeFormatOptions): (timeZone: string) => Intl.DateTimeFormat {
  const made = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let formatter = made.get(timeZone);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, ...options });
      made.set(timeZone, formatter);
    }
    return formatter;
  };
}

/** Every part of a moment to the minute, for formatToParts. */
const formatterFor = formattersByZone({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

function partsOf(d: Date, timeZone: string): Record<string, string> {
  return Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
}

/**
 * A moment as pages and mail show it: the day written as `formatDay` writes it, then the time to the minute in the
 * institution's time zone, naming it: 'November 25, 2026, 15:04 UTC', 'November 24, 2026, 22:30 PST'. The zone
 * comes from the render in progress (`display.ts`). One way for every page, never an ISO string.
 */
export function formatMoment(d: Date, timeZone = currentDisplay().timeZone): string {
  const key = `${timeZone} ${Math.floor(d.getTime() / MINUTE_MS)}`;
  let text = momentTexts.get(key);
  if (text === undefined) {
    text = `${dayFormatterFor(timeZone).format(d)}, ${timeFormatterFor(timeZone).format(d)}`;
    if (momentTexts.size >= MAX_MOMENT_TEXTS) momentTexts.clear();
    momentTexts.set(key, text);
  }
  return text;
}

/**
 * The time to the minute and the zone's short name, '15:04 UTC': the hour, minute and zone of the parts, joined as
 * format() joins them, at a third of formatToParts' cost (every badge page and verification writes its dates).
 */
const timeFormatterFor = formattersByZone({
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

// Moments written recently, by zone and minute (all the text shows). formatToParts costs ~10 µs, and every
// verification writes its badge's dates; a badge's dates and its status lists' repeat across many requests.
const MINUTE_MS = 60_000;
const MAX_MOMENT_TEXTS = 4096;
const momentTexts = new Map<string, string>();
// Calendar days written recently: the staff homes write every program's review periods on each visit.
const dayTexts = new Map<string, string>();

/** The calendar day a moment falls on in the institution's time zone: '2026-11-25'. */
export function formatDate(d: Date, timeZone = currentDisplay().timeZone): string {
  // format() of a digits-only day costs about a seventh of formatToParts, and every badge page writes its dates
  // this way; anything not read as mm/dd/yyyy (a year before 1) takes the parts.
  const day = US_DAY.exec(isoDayFormatterFor(timeZone).format(d));
  if (day) return `${day[3]}-${day[1]}-${day[2]}`;
  const p = partsOf(d, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

const US_DAY = /^(\d{2})\/(\d{2})\/(\d{4,})$/;
/** A day in digits only, mm/dd/yyyy, for formatDate. */
const isoDayFormatterFor = formattersByZone({ year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day as people read it: 'November 25, 2026'. */
const dayFormatterFor = formattersByZone({ year: 'numeric', month: 'long', day: 'numeric' });

/**
 * The one way pages write a day: 'November 25, 2026'. A calendar day ('2026-11-25', as the records keep it) is
 * shown as written; a moment as the day it falls on in the institution's time zone (`display.ts`).
 */
export function formatDay(value: string | Date): string {
  if (typeof value === 'string') {
    const key = value.slice(0, 10);
    const known = dayTexts.get(key);
    if (known !== undefined) return known;
    const day = new Date(`${key}T00:00:00Z`);
    if (Number.isNaN(day.getTime())) return value;
    const text = dayFormatterFor('UTC').format(day);
    if (dayTexts.size >= MAX_MOMENT_TEXTS) dayTexts.clear();
    dayTexts.set(key, text);
    return text;
  }
  return dayFormatterFor(currentDisplay().timeZone).format(value);
}
