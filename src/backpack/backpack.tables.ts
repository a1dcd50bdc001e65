import type { ColumnType, Selectable } from 'kysely';
import type { RevocationCategory } from '../credentials/status-names.ts';
import type { Check } from '../verification/verification-types.ts';

// Revocation categories belong to the credential's status; the backpack keeps the one shown publicly.
export type { RevocationCategory };

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One issued badge as its learner sees it: where the claim mail went, whether it was claimed and by whom. */
export interface BackpackItemsTable {
  credential_id: string;
  /** The address the claim mail went to; claiming with a new account creates the account for it. */
  learner_email: string;
  learner_name: string | null;
  program_title: string;
  claimed_at: Date | null;
  claimed_by_user_id: string | null;
  /** Whether the public badge page names the earner (the learner's choice; shown by default). */
  show_name: Defaulted<boolean>;
  revocation_category: RevocationCategory | null;
  /** The learner's answer: nothing is shared before they accept (migration 0047). */
  acceptance: Defaulted<Acceptance>;
  acceptance_changed_at: Date | null;
  created_at: Timestamp;
}

/** Whether the learner took the badge: pending until they answer; declined badges can still be accepted later. */
export type Acceptance = 'pending' | 'accepted' | 'declined';

/** A learner's public profile: off until they publish it, at `/p/<handle>`. */
export interface LearnerProfilesTable {
  user_id: string;
  handle: string;
  bio: Defaulted<string>;
  is_published: Defaulted<boolean>;
  updated_at: Timestamp;
}

/** A named, ordered group of badges on the profile. */
export interface ProfileCollectionsTable {
  id: string;
  user_id: string;
  name: string;
  position: number;
  created_at: Timestamp;
}

export interface ProfileCollectionBadgesTable {
  collection_id: string;
  credential_id: string;
  position: number;
}

/** A claim link: only the SHA-256 of the token is kept, so a database leak leaks no usable link. */
export interface ClaimTokensTable {
  token_hash: string;
  credential_id: string;
  created_at: Timestamp;
  expires_at: Date;
  used_at: Date | null;
}

export type MailTemplateKind = 'badge_claim';

/** A mail template the credentials office has edited; without a row the default in code applies. */
export interface MailTemplatesTable {
  kind: MailTemplateKind;
  subject: string;
  text_body: string;
  html_body: string;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** A badge a learner brought from another issuer, as presented, with what the verifier found when last checked. */
export interface ImportedBadgesTable {
  id: string;
  user_id: string;
  /** The credential's own id, or the SHA-256 of its content: one learner imports a badge once. */
  fingerprint: string;
  format: 'json-ld' | 'jwt' | 'ob2-hosted' | 'ob2-signed';
  source: 'png' | 'svg' | 'json' | 'jwt' | 'link';
  /** The bytes as given: the image, the JSON or JWT text, or the hosted assertion's address. */
  content: Buffer;
  title: string;
  /** The name the badge gives its issuer, which only its signer vouches for. */
  claimed_issuer_name: string | null;
  signer: string | null;
  trust_level: 'known' | 'unknown';
  trust_message: string;
  issued_on: string | null;
  /** One of the learner's addresses matched the badge's recipient. */
  recipient_confirmed: boolean;
  checks: ColumnType<StoredCheck[], string, string>;
  checked_at: Date;
  created_at: Timestamp;
}

/** A verifier check as kept with an imported badge: the verifier's own shape. */
export type StoredCheck = Check;

/** The backpack module's tables, merged into the app's `DB` interface. */
export interface BackpackTables {
  backpack_items: BackpackItemsTable;
  claim_tokens: ClaimTokensTable;
  mail_templates: MailTemplatesTable;
  imported_badges: ImportedBadgesTable;
  learner_profiles: LearnerProfilesTable;
  profile_collections: ProfileCollectionsTable;
  profile_collection_badges: ProfileCollectionBadgesTable;
}

export type BackpackItemRow = Selectable<BackpackItemsTable>;
export type MailTemplateRow = Selectable<MailTemplatesTable>;
export type ImportedBadgeRow = Selectable<ImportedBadgesTable>;
