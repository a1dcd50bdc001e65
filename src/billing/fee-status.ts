import type { FeeChargeStatus } from './billing.tables.ts';

/**
 * A fee charge's status in people's words, wherever a charge is shown (the bursar's ledger, the issuing pages).
 * "Charged" rather than the column's "posted": it reads plainly to the credentials office as well as the bursar.
 */
export const feeStatusLabels: Readonly<Record<FeeChargeStatus, string>> = {
  posted: 'Charged',
  waived: 'Waived',
  reversed: 'Reversed',
};
