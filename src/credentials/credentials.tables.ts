import type { ColumnType, Selectable } from 'kysely';
import type { JwtAlgorithm, StatusPurpose } from './credential-types.ts';
import type { CredentialStatusName } from './status-names.ts';

// The status words are published apart from the table types, for other modules to import.
export type { CredentialStatusName, RevocationCategory } from './status-names.ts';
export { revocationCategories } from './status-names.ts';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read back as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

export interface IssuerKeysTable {
  id: string;
  /** Fragment of the verification method under did:web (`key-1`, `key-2`, …). */
  key_id: string;
  public_key_multibase: string;
  /** The secret half, sealed with the app secret (AES-256-GCM). */
  private_key_sealed: string;
  created_at: Timestamp;
  /** Set when the key was rotated out; it then signs no new credentials. */
  retired_at: Date | null;
}

/** VC-JWT keys for the algorithms the Ed25519 issuer key cannot serve (EdDSA JWTs are signed with that key). */
export interface JwtSigningKeysTable {
  id: string;
  algorithm: Exclude<JwtAlgorithm, 'EdDSA'>;
  /** Fragment of the verification method under did:web (`es256-1`, `rs256-2`, …). */
  key_id: string;
  /** The public key as published in the DID document (a JsonWebKey verification method). */
  public_jwk: Json<Record<string, unknown>>;
  /** The private JWK as JSON, sealed with the app secret (AES-256-GCM). */
  private_key_sealed: string;
  created_at: Timestamp;
  retired_at: Date | null;
}

export interface StatusListsTable {
  id: string;
  /** The DID that signs this list; it must be the issuer of every credential pointing into it. */
  issuer_did: string;
  purpose: StatusPurpose;
  size: number;
  bits: Uint8Array;
  allocated: Defaulted<number>;
  /** Goes up with every bit change; the signed copy is remade when it falls behind. */
  version: Defaulted<number>;
  signed_json: Json<object> | null;
  signed_version: number | null;
  created_at: Timestamp;
}

export interface CredentialsTable {
  /** The UUID of the credential's `urn:uuid:` id. */
  id: string;
  program_id: string;
  program_version: number;
  issuer_key_id: string;
  issuer_did: string;
  /** A keyed hash of the learner's e-mail for lookups; the plain address is never stored. */
  learner_email_hash: string | null;
  recipient_name: string | null;
  learner_id: string | null;
  issued_at: Timestamp;
  valid_from: Date;
  valid_until: Date | null;
  json: Json<object>;
  /** The VC-JWT copy; null when the institution did not issue VC-JWTs at the time. */
  jwt: string | null;
  status: Defaulted<CredentialStatusName>;
  status_reason: string | null;
  status_changed_at: Date | null;
  revocation_list_id: string;
  revocation_index: number;
  /** Only badges issued before migration 0024 have a suspension entry; newer ones carry revocation alone. */
  suspension_list_id: string | null;
  suspension_index: number | null;
  is_public: Defaulted<boolean>;
  issued_by: string | null;
  /**
   * The award's credential this one is a copy of, re-issued to the learner's wallet (migration 0048); null for an
   * award's own credential. A copy follows its original's status.
   */
  copy_of: string | null;
}

/** The credentials module's tables, merged into the app's `DB` interface. */
export interface CredentialsTables {
  issuer_keys: IssuerKeysTable;
  jwt_signing_keys: JwtSigningKeysTable;
  status_lists: StatusListsTable;
  credentials: CredentialsTable;
}

export type IssuerKeyRow = Selectable<IssuerKeysTable>;
export type JwtSigningKeyRow = Selectable<JwtSigningKeysTable>;
export type StatusListRow = Selectable<StatusListsTable>;
export type CredentialRow = Selectable<CredentialsTable>;
