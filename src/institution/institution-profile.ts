/**
 * The institution's profile as people type it (the admin form) and as the API sends it: every field a string, read
 * here into the stored row or into a list of problems naming each field. Pure, so the form and the API refuse the
 * same things for the same reasons.
 */

import type { Institution, VcJwtChoice } from '../platform/db/schema.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { currencyProblem, decimalAmount, parseAmount } from '../platform/money.ts';
import { accentColourProblem, normaliseHex, primaryColourProblem } from './brand-contrast.ts';

/** The profile's fields, by the names the form and the API use. */
export const profileFields = [
  'name',
  'shortName',
  'url',
  'admissionsUrl',
  'email',
  'phone',
  'address',
  'timeZone',
  'academicYearStartMonth',
  'periodicReviewYears',
  'introduction',
  'primaryColour',
  'accentColour',
  'defaultFee',
  'currency',
  'feePolicy',
  'transcriptAnswer',
  'financialAidAnswer',
  'vcJwt',
  'allowSuspension',
] as const;

export type ProfileField = (typeof profileFields)[number];
export type ProfileInput = Record<ProfileField, string>;

/** What the form calls each field; the error summary names problems with these words. */
export const profileLabels: Readonly<Record<ProfileField, string>> = {
  name: 'Legal name',
  shortName: 'Short name',
  url: 'Website address',
  admissionsUrl: 'Admissions page',
  email: 'Contact e-mail',
  phone: 'Contact phone',
  address: 'Postal address',
  timeZone: 'Time zone',
  academicYearStartMonth: 'Academic year starts in',
  periodicReviewYears: 'Review established programs every',
  introduction: 'Home page introduction',
  primaryColour: 'Brand colour',
  accentColour: 'Accent colour',
  defaultFee: 'Default badge fee',
  currency: 'Currency',
  feePolicy: 'Fee policy',
  transcriptAnswer: 'Transcript answer',
  financialAidAnswer: 'Financial aid answer',
  vcJwt: 'VC-JWT copies',
  allowSuspension: 'Suspending badges',
};

/** The VC-JWT choices, as the form offers them; JSON-LD with a Data Integrity proof is always issued. */
export const vcJwtChoices: readonly { value: VcJwtChoice; label: string }[] = [
  { value: 'EdDSA', label: 'Also as a VC-JWT signed with EdDSA (Ed25519)' },
  { value: 'ES256', label: 'Also as a VC-JWT signed with ES256 (P-256)' },
  { value: 'RS256', label: 'Also as a VC-JWT signed with RS256 (RSA), the Open Badges minimum' },
  { value: 'off', label: 'JSON-LD only, no VC-JWT' },
];

/** What the installation can sign with, for checking a choice: ES256 and RS256 keys are published only under did:web. */
export interface ProfileOptions {
  vcJwtAlgorithms: readonly string[];
}

/** The columns an administrator sets through the profile. */
export type ProfileRow = Pick<
  Institution,
  | 'name'
  | 'short_name'
  | 'url'
  | 'admissions_url'
  | 'email'
  | 'phone'
  | 'address'
  | 'time_zone'
  | 'academic_year_start_month'
  | 'periodic_review_years'
  | 'description'
  | 'primary_colour'
  | 'accent_colour'
  | 'default_fee_cents'
  | 'currency'
  | 'fee_policy'
  | 'transcript_answer'
  | 'financial_aid_answer'
  | 'vc_jwt_algorithm'
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

/** Established programs are reviewed every 1 to 10 years. */
const REVIEW_YEARS = { min: 1, max: 10 } as const;

/** '5' as 5; undefined for anything but a whole number of years in range. */
function reviewYearsOf(text: string): number | undefined {
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const years = Number(text);
  return years >= REVIEW_YEARS.min && years <= REVIEW_YEARS.max ? years : undefined;
}

/** '9' or '09' as 9; undefined for anything but a whole month number 1–12. */
function monthOf(text: string): number | undefined {
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const month = Number(text);
  return month >= 1 && month <= 12 ? month : undefined;
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
    admissionsUrl: row.admissions_url,
    email: row.email,
    phone: row.phone,
    address: row.address,
    timeZone: row.time_zone,
    academicYearStartMonth: String(row.academic_year_start_month),
    periodicReviewYears: String(row.periodic_review_years),
    introduction: row.description,
    primaryColour: row.primary_colour,
    accentColour: row.accent_colour,
    defaultFee: decimalAmount(row.default_fee_cents),
    currency: row.currency,
    feePolicy: row.fee_policy,
    transcriptAnswer: row.transcript_answer,
    financialAidAnswer: row.financial_aid_answer,
    vcJwt: row.vc_jwt_algorithm,
    allowSuspension: row.allow_suspension ? 'true' : 'false',
  };
}

function vcJwtProblem(choice: string, options: ProfileOptions): string | undefined {
  if (!vcJwtChoices.some((known) => known.value === choice)) return 'must be off, EdDSA, ES256 or RS256';
  if (choice === 'off' || options.vcJwtAlgorithms.includes(choice)) return undefined;
  return `cannot be ${choice} here: ES256 and RS256 keys are published in the did:web document, and this installation issues under did:key (STACKABLE_DID_METHOD)`;
}

/** Reads what was typed: the row to store, or every problem at once. */
export function readProfile(
  given: Partial<Record<ProfileField, unknown>>,
  options: ProfileOptions = { vcJwtAlgorithms: ['EdDSA'] },
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
  // Optional: without it the program pages say whom to ask how to apply, rather than guess a page.
  const admissionsUrl = text('admissionsUrl');
  problem(
    'admissionsUrl',
    admissionsUrl !== '' && (admissionsUrl.length > 500 || !isWebAddress(admissionsUrl))
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
  const startMonth = monthOf(text('academicYearStartMonth'));
  problem(
    'academicYearStartMonth',
    startMonth === undefined ? 'must be a month number from 1 (January) to 12 (December)' : undefined,
  );
  const reviewYears = reviewYearsOf(text('periodicReviewYears'));
  problem(
    'periodicReviewYears',
    reviewYears === undefined
      ? `must be a whole number of years from ${REVIEW_YEARS.min} to ${REVIEW_YEARS.max}`
      : undefined,
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
  const vcJwt = text('vcJwt');
  problem('vcJwt', vcJwtProblem(vcJwt, options));
  // Left out means off, the standards-exact default (see docs/standards.md, "Credential status").
  const suspension = text('allowSuspension');
  problem(
    'allowSuspension',
    ['', 'true', 'false'].includes(suspension) ? undefined : 'must be true or false',
  );
  if (problems.length > 0 || fee === undefined || startMonth === undefined || reviewYears === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    row: {
      name: text('name'),
      short_name: text('shortName'),
      url,
      admissions_url: admissionsUrl,
      email: email.toLowerCase(),
      phone: text('phone'),
      address: text('address'),
      time_zone: timeZone,
      academic_year_start_month: startMonth,
      periodic_review_years: reviewYears,
      description: text('introduction'),
      primary_colour: normaliseHex(text('primaryColour')) ?? '',
      accent_colour: normaliseHex(text('accentColour')) ?? '',
      default_fee_cents: fee,
      currency,
      fee_policy: text('feePolicy'),
      transcript_answer: text('transcriptAnswer'),
      financial_aid_answer: text('financialAidAnswer'),
      vc_jwt_algorithm: vcJwt as VcJwtChoice,
      allow_suspension: suspension === 'true',
    },
  };
}
