import { formatMoment } from '../platform/http/moment.ts';
import type { JsonObject } from './read-presented-badge.ts';
import type { Check } from './verification-types.ts';

// RFC 3339 with a required time zone; Date.parse alone would accept vaguer text and guess a zone.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function parseMoment(value: unknown): Date | null | 'invalid' {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return 'invalid';
  // new Date(text) reads text exactly as Date.parse does; parsed once, not twice.
  const time = Date.parse(value);
  return Number.isNaN(time) ? 'invalid' : new Date(time);
}

/**
 * Judges validFrom and validUntil (or VC 1.1's issuanceDate and expirationDate) against `now`:
 * a badge that is not valid yet, or has expired, fails. The sentence writes its moments as every page does
 * (`formatMoment`), in `timeZone`: the institution's, which the verifier is given.
 */
export function checkDates(credential: JsonObject, now: Date, label = 'This badge', timeZone = 'UTC'): Check {
  const fromField = fromFieldOf(credential);
  const untilField = untilFieldOf(credential);
  const from = parseMoment(credential[fromField]);
  const until = parseMoment(credential[untilField]);
  const problem = problemWith(from, until, fromField, untilField, now, label, timeZone);
  if (problem) return problem;
  // Neither date is 'invalid' here: problemWith fails a date that is not valid.
  const since = from instanceof Date ? `valid since ${formatMoment(from, timeZone)}` : 'valid';
  const expiry = until instanceof Date ? `, until ${formatMoment(until, timeZone)}` : ' and does not expire';
  return { id: 'dates', status: 'passed', message: `${label} is ${since}${expiry}.` };
}

/**
 * The failed check when the dates do not hold at `now`, else null. For callers that only need the failure (a
 * status list's dates, read on every verification): the passing sentence, with its dates written out for people,
 * costs more than the judgement.
 */
export function datesProblem(
  credential: JsonObject,
  now: Date,
  label = 'This badge',
  timeZone = 'UTC',
): Check | null {
  const fromField = fromFieldOf(credential);
  const untilField = untilFieldOf(credential);
  return problemWith(
    parseMoment(credential[fromField]),
    parseMoment(credential[untilField]),
    fromField,
    untilField,
    now,
    label,
    timeZone,
  );
}

function problemWith(
  from: Date | null | 'invalid',
  until: Date | null | 'invalid',
  fromField: string,
  untilField: string,
  now: Date,
  label: string,
  timeZone: string,
): Check | null {
  if (from === 'invalid' || until === 'invalid') {
    const field = from === 'invalid' ? fromField : untilField;
    return { id: 'dates', status: 'failed', message: `${label}'s ${field} is not a valid date and time.` };
  }
  if (from && now < from) {
    return {
      id: 'dates',
      status: 'failed',
      message: `${label} is not valid until ${formatMoment(from, timeZone)}.`,
    };
  }
  if (until && now > until) {
    return {
      id: 'dates',
      status: 'failed',
      message: `${label} expired on ${formatMoment(until, timeZone)}.`,
      expired: true,
    };
  }
  return null;
}

const fromFieldOf = (credential: JsonObject) =>
  credential.validFrom !== undefined ? 'validFrom' : 'issuanceDate';
const untilFieldOf = (credential: JsonObject) =>
  credential.validUntil !== undefined ? 'validUntil' : 'expirationDate';
