/**
 * Which account a person signing in through an identity provider becomes: the one already linked to their
 * identity at that provider, else the one with their address when the provider vouches for it, else a new one.
 * Never an account that belongs to someone else: every doubt is a refusal with a reason, which the caller audits
 * and explains. Pure, tested as a table.
 */
import type { ExternalProfile } from './claims-mapping.ts';

/** The account found for the identity or for the address, as the decision needs it. */
export interface KnownAccount {
  id: string;
  status: 'active' | 'invited' | 'disabled';
  /** Whether this account is already linked to another identity at the same provider. */
  hasOtherIdentityHere: boolean;
  isEmailVerified: boolean;
}

/** Why a sign-in is refused, for the audit log; the person reads `refusalMessages`. */
export type MatchRefusal =
  | 'account_disabled'
  | 'email_missing'
  | 'email_unverified_account_exists'
  | 'email_linked_to_other_identity';

export type AccountMatch =
  | { kind: 'returning'; userId: string }
  | { kind: 'link_by_email'; userId: string }
  | { kind: 'create' }
  /** `mayProveEmail`: the person may still prove the address by a link mailed to it, and then be linked. */
  | { kind: 'refuse'; reason: MatchRefusal; mayProveEmail?: boolean };

export function matchAccount(
  profile: Pick<ExternalProfile, 'email' | 'isEmailVerified'>,
  linked: KnownAccount | undefined,
  byEmail: KnownAccount | undefined,
): AccountMatch {
  if (linked) {
    return linked.status === 'disabled'
      ? { kind: 'refuse', reason: 'account_disabled' }
      : { kind: 'returning', userId: linked.id };
  }
  if (!profile.email) return { kind: 'refuse', reason: 'email_missing' };
  if (!byEmail) return { kind: 'create' };
  // Someone already has the address here. Only a provider that vouches for it may say this person is them; else
  // the person may prove it themselves, if the account could be linked at all once they have.
  if (!profile.isEmailVerified) {
    const mayProveEmail = byEmail.status !== 'disabled' && !byEmail.hasOtherIdentityHere;
    return { kind: 'refuse', reason: 'email_unverified_account_exists', mayProveEmail };
  }
  if (byEmail.hasOtherIdentityHere) return { kind: 'refuse', reason: 'email_linked_to_other_identity' };
  if (byEmail.status === 'disabled') return { kind: 'refuse', reason: 'account_disabled' };
  return { kind: 'link_by_email', userId: byEmail.id };
}
