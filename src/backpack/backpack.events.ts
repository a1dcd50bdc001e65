import type { Acceptance } from './backpack.tables.ts';

/** The events the backpack module publishes, each inside the transaction that made the change. */
export interface BackpackEvents {
  /** A learner claimed, accepted or declined a badge (claiming accepts it). */
  'badge.acceptance_changed': { credentialId: string; acceptance: Acceptance; claimed: boolean };
}
