import type { Actor } from '../platform/actor.ts';
import { roleLabels } from '../platform/roles.ts';
import { type CreditType, creditTypeLabels } from '../programs/program-vocabulary.ts';
import type { CreditMode, Office } from './issuing.tables.ts';

/** Who issues what: the registrar puts credit-bearing badges on the transcript; the credentials office the rest. */
export const officeFor = (mode: CreditMode): Office =>
  mode === 'credit' ? 'registrar' : 'credentials_office';

/** An office is the role that staffs it, and goes by that role's name. */
export const officeLabels: Record<Office, string> = {
  registrar: roleLabels.registrar,
  credentials_office: roleLabels.credentials_office,
};

/** A row is issued as credit or non-credit: the same words as the program's credit type. */
export const creditModeLabels: Record<CreditMode, string> = {
  credit: creditTypeLabels.credit,
  non_credit: creditTypeLabels.non_credit,
};

/** The offices a person works in; administrators may act for both. */
export function officesOf(actor: Pick<Actor, 'roles'>): Office[] {
  if (actor.roles.includes('admin')) return ['registrar', 'credentials_office'];
  return (['registrar', 'credentials_office'] as const).filter((office) => actor.roles.includes(office));
}

/**
 * The offices that see a learner's approved request: the program's issuing office, except for a hybrid
 * program, where the learner's cohort list decides (credit or not), and without one both offices see it.
 */
export function officesForRequest(
  program: { creditType: CreditType; issuingOffice: Office },
  cohortMode: CreditMode | undefined,
): Office[] {
  if (program.creditType !== 'hybrid') return [program.issuingOffice];
  return cohortMode ? [officeFor(cohortMode)] : ['registrar', 'credentials_office'];
}

/** Whether the badge goes on the transcript: the program's type, or for a hybrid program the cohort or office. */
export function creditModeFor(
  program: { creditType: CreditType },
  cohortMode: CreditMode | undefined,
  office: Office,
): CreditMode {
  if (program.creditType === 'credit') return 'credit';
  if (program.creditType === 'non_credit') return 'non_credit';
  return cohortMode ?? (office === 'registrar' ? 'credit' : 'non_credit');
}
