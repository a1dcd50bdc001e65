/**
 * The institution's profile as people type it (the admin form) and as the API sends it: every field a string, read
 * here into the stored row or into a list of problems naming each field. Pure, so the form and the API refuse the
 * same things for the same reasons.
 */

import type { Institution } from '../platform/db/schema.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { currencyProblem, decimalAmount, parseAmount } from '../platform/money.ts';
import { accentColourProblem, normaliseHex, primaryColourProblem } from './brand-contrast.ts';

/** The profile's fields, by the names the form and the API use. */
export const profileFields = [
  'name',
  'shortName',
  'url',
  'email',
  'phone',
  'address',
  'timeZone',
  'introduction',
  'primaryColour',
  'accentColour',
  'defaultFee',
  'currency',
  'feePolicy',
  'transcriptAnswer',
  'financialAidAnswer',
  'allowSuspension',
] as const;

export type ProfileField = (typeof profileFields)[number];
export type ProfileInput = Record<ProfileField, string>;

/** What the form calls each field; the error summary names problems with these words. */
export const profileLabels: Readonly<Record<ProfileField, string>> = {
  name: 'Legal name',
  shortName: 'Short name',
  url: 'Website address',
  email: 'Contact e-mail',
  phone: 'Contact phone',
  address: 'Postal address',
  timeZone: 'Time zone',
  introduction: 'Home page introduction',
  primaryColour: 'Brand colour',
  accentColour: 'Accent colour',
  defaultFee: 'Default badge fee',
  currency: 'Currency',
  feePolicy: 'Fee policy',
  transcriptAnswer: 'Transcript answer',
  financialAidAnswer: 'Financial aid answer',
  allowSuspension: 'Suspending badges',
};

/** The columns an administrator sets through the profile. */
export type ProfileRow = Pick<
  Institution,
  | 'name'
  | 'short_name'
  | 'url'
  | 'email'
  | 'phone'
  | 'address'
  | 'time_zone'
  | 'description'
  | 'primary_colour'
  | 'accent_colour'
  | 'default_fee_cents'
  | 'currency'
  | 'fee_policy'
  | 'transcript_answer'
  | 'financial_aid_answer'
  | 'allow_suspension'
>;

// The short name sits across the top of the badge's face; longer ones would not fit there.
const MAX_SHORT_NAME = 12;
const LONG_TEXT = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `zone` is an IANA time zone this runtime knows (Intl refuses anything else). */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function isWebAddress(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return new URL(text).hostname !== '';
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/** The stored row as the form shows it. */
export function profileInputOf(row: ProfileRow): ProfileInput {
  return {
    name: row.name,
    shortName: row.short_name,
    url: row.url,
    email: row.email,
    phone: row.phone,
    address: row.address,
    timeZone: row.time_zone,
    introduction: row.description,
    primaryColour: row.primary_colour,
    accentColour: row.accent_colour,
    defaultFee: decimalAmount(row.default_fee_cents),
    currency: row.currency,
    feePolicy: row.fee_policy,
    transcriptAnswer: row.transcript_answer,
    financialAidAnswer: row.financial_aid_answer,
    allowSuspension: row.allow_suspension ? 'true' : 'false',
  };
}

/** Reads what was typed: the row to store, or every problem at once. */
export function readProfile(
  given: Partial<Record<ProfileField, unknown>>,
): { ok: true; row: ProfileRow } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (field: ProfileField) =>
    typeof given[field] === 'string' ? (given[field] as string).trim() : '';
  const problem = (field: ProfileField, reason: string | undefined) => {
    if (reason) problems.push({ field, reason });
  };
  const lengthProblem = (field: ProfileField, max: number, required: boolean) => {
    const value = text(field);
    if (required && value === '') return 'is required';
    return value.length > max ? `must be at most ${max} characters` : undefined;
  };

  problem('name', lengthProblem('name', 200, true));
  problem('shortName', lengthProblem('shortName', MAX_SHORT_NAME, true));
  const url = text('url');
  problem(
    'url',
    url === ''
      ? 'is required'
      : url.length > 500 || !isWebAddress(url)
        ? 'must be an http:// or https:// address'
        : undefined,
  );
  const email = text('email');
  problem(
    'email',
    email === ''
      ? 'is required'
      : email.length > 320 || !EMAIL.test(email)
        ? 'must be an e-mail address'
        : undefined,
  );
  problem('phone', lengthProblem('phone', 40, false));
  problem('address', lengthProblem('address', 500, false));
  const timeZone = text('timeZone');
  problem(
    'timeZone',
    timeZone === ''
      ? 'is required'
      : isTimeZone(timeZone)
        ? undefined
        : 'must be an IANA time zone such as America/Los_Angeles or Europe/Paris',
  );
  problem('introduction', lengthProblem('introduction', LONG_TEXT, false));
  problem('primaryColour', primaryColourProblem(text('primaryColour')));
  problem('accentColour', accentColourProblem(text('accentColour')));
  const fee = parseAmount(text('defaultFee'));
  problem('defaultFee', fee === undefined ? 'must be an amount such as 10 or 25.50' : undefined);
  const currency = text('currency').toUpperCase();
  problem('currency', currencyProblem(currency));
  for (const field of ['feePolicy', 'transcriptAnswer', 'financialAidAnswer'] as const) {
    problem(field, lengthProblem(field, LONG_TEXT, false));
  }
  // Left out means off, the standards-exact default (see docs/standards.md, "Credential status").
  const suspension = text('allowSuspension');
  problem(
    'allowSuspension',
    ['', 'true', 'false'].includes(suspension) ? undefined : 'must be true or false',
  );
  if (problems.length > 0 || fee === undefined) return { ok: false, problems };
  return {
    ok: true,
    row: {
      name: text('name'),
      short_name: text('shortName'),
      url,
      email: email.toLowerCase(),
      phone: text('phone'),
      address: text('address'),
      time_zone: timeZone,
      description: text('introduction'),
      primary_colour: normaliseHex(text('primaryColour')) ?? '',
      accent_colour: normaliseHex(text('accentColour')) ?? '',
      default_fee_cents: fee,
      currency,
      fee_policy: text('feePolicy'),
      transcript_answer: text('transcriptAnswer'),
      financial_aid_answer: text('financialAidAnswer'),
      allow_suspension: suspension === 'true',
    },
  };
}
