import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read back as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** The two protocols a provider speaks. */
export type SsoProtocol = 'oidc' | 'saml';

/** How a provider's claims (OIDC) or attributes (SAML) become an account's fields and roles. */
export interface ClaimMapping {
  /** The claim or attribute carrying the student ID; none when absent. */
  studentIdClaim?: string;
  /** The claim or attribute listing groups or affiliations. */
  groupsClaim?: string;
  /** Group or affiliation value → the Stackable role it gives. Empty: roles stay as granted in Stackable. */
  roleMap?: { group: string; role: string }[];
}

/** One identity provider of the university. */
export interface IdentityProvidersTable {
  id: string;
  slug: string;
  button_label: string;
  protocol: SsoProtocol;
  discovery_url: string | null;
  client_id: string | null;
  /** The client secret sealed with the app secret (AES-256-GCM); never shown back to anyone. */
  client_secret_sealed: string | null;
  idp_metadata_url: string | null;
  idp_metadata_xml: string | null;
  mapping: Json<ClaimMapping>;
  email_domains: ColumnType<string[], string[] | undefined, string[]>;
  is_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A provider's subject linked to an account: how a returning person is recognised. */
export interface SsoIdentitiesTable {
  provider_id: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
  last_sign_in_at: Date | null;
}

/** A sign-in begun in one browser, kept until the provider answers (or ten minutes pass). */
export interface SsoAttemptsTable {
  /** SHA-256 of the random value in the browser's cookie: a leaked row cannot be replayed from another browser. */
  id: string;
  provider_id: string;
  purpose: 'sign_in' | 'test';
  requested_by: string | null;
  state: string;
  nonce: string | null;
  code_verifier: string | null;
  next: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

/** The one row of site-wide sign-in settings. */
export interface SsoSettingsTable {
  id: Generated<boolean>;
  staff_passwords_off: boolean;
  break_glass_user_id: string | null;
  updated_at: Timestamp;
}

/** The site's own SAML key pair: signs AuthnRequests and opens assertions providers encrypt to it. */
export interface SamlServiceProviderTable {
  id: Generated<boolean>;
  /** PKCS#8 PEM, sealed with the app secret. */
  private_key_sealed: string;
  /** The self-signed certificate (PEM) published in the SP metadata. */
  certificate: string;
  created_at: Timestamp;
}

/** An assertion already accepted, remembered until it would have expired: the same one is never taken twice. */
export interface SamlAssertionsSeenTable {
  provider_id: string;
  assertion_id: string;
  expires_at: Date;
}

/** A session a SAML provider opened, with the names it gave it: what its LogoutRequest will name. */
export interface SsoSessionsTable {
  /** The accounts module's session id (the hash of the cookie's token). */
  session_id: string;
  user_id: string;
  provider_id: string;
  name_id: string;
  name_id_format: string | null;
  session_index: string | null;
  created_at: Timestamp;
}

/** A one-time link mailed to an address a provider did not vouch for; opening it links the identity. */
export interface SsoEmailProofsTable {
  token_hash: string;
  /** SHA-256 of a random value in the asking browser's cookie: the link works only in that browser. */
  browser_hash: string;
  provider_id: string;
  subject: string;
  user_id: string;
  email: string;
  next: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface SsoTables {
  sso_sessions: SsoSessionsTable;
  sso_email_proofs: SsoEmailProofsTable;
  saml_service_provider: SamlServiceProviderTable;
  saml_assertions_seen: SamlAssertionsSeenTable;
  identity_providers: IdentityProvidersTable;
  sso_identities: SsoIdentitiesTable;
  sso_attempts: SsoAttemptsTable;
  sso_settings: SsoSettingsTable;
}
