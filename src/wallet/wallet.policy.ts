/**
 * Who may put a badge into a wallet, and when a wallet offer may still be used. A badge is re-issued to a wallet
 * only for the learner who holds it in their backpack (claimed by their account, or still waiting under their own
 * address), only while it is active, and only from the award's own credential (a copy is not copied again). An
 * offer delivers once, before it expires, through whichever route the wallet uses first. Pure, so the routes'
 * page flags and the service ask the same thing; tested as tables beside it.
 */
import type { AuditActor } from '../audit/audit.service.ts';
import type { CredentialStatusName } from '../credentials/status-names.ts';
import type { WalletOfferRow } from './wallet.tables.ts';

/** The facts about one badge that decide whether its holder may send it to a wallet. */
export interface WalletBadge {
  /** The backpack's record of the badge: who claimed it, or the address it waits under. */
  holding: { claimedByUserId: string | null; claimedAt: Date | null; learnerEmail: string } | null;
  status: CredentialStatusName;
  /** True for a wallet copy of an award's credential. */
  isCopy: boolean;
}

/**
 * Whether the person holds this badge in their backpack: the same rule the backpack keeps for its own pages. A
 * badge still waiting counts only under one of `provenAddresses`, the addresses the person has proven: typing
 * someone's address into a sign-up form does not make their badges yours.
 */
export function holdsBadge(
  actor: AuditActor | null,
  badge: WalletBadge,
  provenAddresses: readonly string[],
): boolean {
  if (actor === null || 'system' in actor || badge.holding === null) return false;
  const { claimedByUserId, claimedAt, learnerEmail } = badge.holding;
  if (claimedByUserId === actor.id) return true;
  const waitingUnder = learnerEmail.trim().toLowerCase();
  return claimedAt === null && provenAddresses.some((a) => a.trim().toLowerCase() === waitingUnder);
}

/** Why this person may not make a wallet offer for this badge, or null when they may. */
export function walletOfferRefusal(
  actor: AuditActor | null,
  badge: WalletBadge,
  provenAddresses: readonly string[],
): string | null {
  if (!holdsBadge(actor, badge, provenAddresses)) {
    return 'Only the learner who holds this badge can add it to a wallet.';
  }
  if (badge.isCopy) return 'Only the badge itself can be added to a wallet, not a copy already in one.';
  if (badge.status !== 'active') {
    return `This badge is ${badge.status}, so it cannot be added to a wallet.`;
  }
  return null;
}

/** May this person make a wallet offer for this badge? */
export const mayOfferToWallet = (
  actor: AuditActor | null,
  badge: WalletBadge,
  provenAddresses: readonly string[],
): boolean => walletOfferRefusal(actor, badge, provenAddresses) === null;

/**
 * The state of an offer a wallet is trying to use: when it expires, when it was delivered, when its
 * pre-authorized code was spent (the OID4VCI token step) and when the access token it bought stops working.
 */
export type OfferState = Pick<
  WalletOfferRow,
  'expires_at' | 'delivered_at' | 'code_used_at' | 'token_expires_at'
>;

/** The step of a delivery a wallet is taking. */
export type DeliveryStep = 'exchange' | 'token' | 'credential';

/** Why a wallet may not take this step with this offer now, or null when it may. */
export function deliveryRefusal(offer: OfferState, step: DeliveryStep, now: Date): string | null {
  if (offer.delivered_at !== null) return 'This offer was used already: the badge is in a wallet.';
  if (step === 'credential') {
    if (offer.token_expires_at === null || offer.token_expires_at <= now)
      return 'The access token has expired.';
    return null;
  }
  if (offer.expires_at <= now) return 'This offer has expired. Ask for a new one on the badge’s wallet page.';
  if (step === 'token' && offer.code_used_at !== null) return 'This pre-authorized code was used already.';
  return null;
}
