import type { ColumnType } from 'kysely';
import type { ApiScope } from '../platform/api-scopes.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** An integration allowed to ask for access tokens. */
export interface ApiClientsTable {
  id: string;
  /** The public identifier the client sends to the token endpoint (`stk_…`). */
  client_id: string;
  name: string;
  scopes: ApiScope[];
  /** SHA-256 of the secret, which is shown once and kept nowhere. */
  secret_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  secret_rotated_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** An access token handed out by the token endpoint, by its SHA-256 digest. */
export interface ApiAccessTokensTable {
  token_hash: string;
  client_id: string;
  scopes: ApiScope[];
  issued_at: Date;
  expires_at: Date;
}

export interface IntegrationsTables {
  api_clients: ApiClientsTable;
  api_access_tokens: ApiAccessTokensTable;
}
