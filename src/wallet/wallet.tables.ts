import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** How a wallet took its copy: a VC-API exchange or OpenID for Verifiable Credential Issuance. */
export type DeliveryRoute = 'vc_api' | 'oid4vci';

/**
 * One "Add to a wallet" offer for one badge: its secrets only as SHA-256 hashes (a database leak gives no usable
 * code), short-lived, and good for one delivery by either route.
 */
export interface WalletOffersTable {
  id: string;
  /** The award's own credential, the one the wallet's copy is re-issued from. */
  credential_id: string;
  /** The learner who asked for the offer. */
  user_id: string;
  /** The OID4VCI pre-authorized code, hashed. */
  code_hash: string;
  /** The secret part of the VC-API exchange address, hashed. */
  exchange_hash: string;
  /** What the wallet's DID Authentication presentation must answer (VC-API). */
  challenge: string;
  created_at: Timestamp;
  expires_at: Date;
  code_used_at: Date | null;
  access_token_hash: string | null;
  token_expires_at: Date | null;
  delivered_at: Date | null;
  delivered_by: DeliveryRoute | null;
  holder_did: string | null;
  delivered_credential_id: string | null;
}

/** The wallet module's tables, merged into the app's `DB` interface. */
export interface WalletTables {
  wallet_offers: WalletOffersTable;
}

export type WalletOfferRow = Selectable<WalletOffersTable>;
