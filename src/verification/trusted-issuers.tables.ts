import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TrustedIssuerRegistriesTable {
  id: string;
  name: string;
  /** https only: a registry is trusted because of where it comes from. */
  url: string;
  fetched_at: Date | null;
  last_error: string | null;
  created_at: Timestamp;
}

export interface TrustedIssuersTable {
  id: string;
  did: string;
  name: string;
  note: ColumnType<string, string | undefined, string>;
  url: string | null;
  /** Null for a DID an administrator added by hand. */
  registry_id: string | null;
  created_at: Timestamp;
}

export interface TrustedIssuersTables {
  trusted_issuer_registries: TrustedIssuerRegistriesTable;
  trusted_issuers: TrustedIssuersTable;
}
