import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { BackpackTables } from '../../backpack/backpack.tables.ts';
import type { BillingTables } from '../../billing/billing.tables.ts';
import type { CatalogTables } from '../../catalog/catalog.tables.ts';
import type { CourseStatus } from '../../catalog/course-vocabulary.ts';
import type { CredentialsTables } from '../../credentials/credentials.tables.ts';
import type { InsightTables } from '../../insight/insight.tables.ts';
import type { InstitutionTables } from '../../institution/institution.tables.ts';
import type { IntegrationsTables } from '../../integrations/integrations.tables.ts';
import type { IssuingTables } from '../../issuing/issuing.tables.ts';
import type { LearnersTables } from '../../learners/learners.tables.ts';
import type {
  CreditType,
  DeliveryMode,
  EnrolmentPath,
  Level,
  ProgramState,
} from '../../programs/program-vocabulary.ts';
import type { IssuingOffice, ProgramContact, ProgramsTables } from '../../programs/programs.tables.ts';
import type { ProgressTables } from '../../progress/progress.tables.ts';
import type { SsoTables } from '../../sso/sso.tables.ts';
import type { TrustedIssuersTables } from '../../verification/trusted-issuers.tables.ts';
import type { WalletTables } from '../../wallet/wallet.tables.ts';
import type { Role } from '../roles.ts';

/** Columns the database fills in on insert (defaults), still readable afterwards. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read back as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  status: Defaulted<'active' | 'invited' | 'disabled'>;
  created_at: Timestamp;
  last_login_at: Date | null;
  /** When the owner opened a link mailed to the address; null until then (migration 0019). */
  email_verified_at: Defaulted<Date | null>;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
  granted_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Date;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface AccountTokensTable {
  token_hash: string;
  user_id: string;
  purpose: 'reset' | 'invite' | 'verify';
  created_at: Timestamp;
  expires_at: Date;
  used_at: Date | null;
  /** Where a reset link was mailed when it was not the primary address (migration 0047). */
  sent_to: Defaulted<string | null>;
}

/**
 * An address an account holds besides its primary one (`users.email`); proven once `verified_at` is set. Only the
 * SHA-256 of the pending verification link is kept (migration 0047).
 */
export interface AccountEmailsTable {
  id: string;
  user_id: string;
  email: string;
  verified_at: Date | null;
  token_hash: string | null;
  token_expires_at: Date | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  ip: string | null;
}

export interface MailOutboxTable {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** The subject and text body with their one-time links blanked: what staff may read. */
  display_subject: string;
  display_text: string;
  kind: string;
  status: Defaulted<MailStatus>;
  attempts: Defaulted<number>;
  last_error: string | null;
  /** When a `retrying` message is tried again (set exactly when the status is `retrying`). */
  next_attempt_at: Date | null;
  /** When the message was queued, or last resent from the dead letters: its day of retries counts from here. */
  queued_at: Timestamp;
  /** Until when a `sending` message is held by the delivery that claimed it (set exactly when `sending`). */
  claimed_until: Date | null;
  /** When the message's current delivery job was sent: a watch leaves a message it just queued again alone. */
  enqueued_at: Timestamp;
  created_at: Timestamp;
  sent_at: Date | null;
}

/**
 * Where a message is: waiting for an attempt, being handed to the mail server, waiting to try again, delivered,
 * or given up on.
 */
export type MailStatus = 'queued' | 'sending' | 'retrying' | 'sent' | 'failed';

/** One-time tokens that open the first-run setup page while no administrator exists (only hashes are kept). */
export interface SetupTokensTable {
  token_hash: string;
  created_at: Timestamp;
  expires_at: Date;
  used_at: Date | null;
}

/** Failed sign-ins per account, keyed by the hash of the normalised e-mail (see accounts/sign-in-limits.ts). */
export interface SignInFailuresTable {
  account_key: string;
  failures: number;
  last_failed_at: Date;
  locked_until: Date | null;
}

export interface SignUpAttemptsTable {
  address_key: string;
  attempts: number;
  window_started_at: Date;
}

export interface InstitutionTable {
  id: Defaulted<number>;
  name: string;
  short_name: string;
  url: string;
  email: string;
  phone: string;
  address: string;
  description: string;
  primary_colour: string;
  accent_colour: string;
  academic_year_start_month: Defaulted<number>;
  default_fee_cents: number;
  /** An IANA time zone; empty until an administrator chooses one (the server's STACKABLE_TIME_ZONE applies). */
  time_zone: Defaulted<string>;
  /** ISO 4217 code of the badge fees. */
  currency: Defaulted<string>;
  fee_policy: Defaulted<string>;
  /** Where new students apply (the program pages' "Apply for admission"); empty while none is set (migration 0066). */
  admissions_url: Defaulted<string>;
  /** The program pages' answers; empty means the built-in wording. */
  transcript_answer: Defaulted<string>;
  financial_aid_answer: Defaulted<string>;
  /** The current logo in `institution_logos`, or none. */
  logo_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether badges also get a VC-JWT copy, and signed with which algorithm (`off`, `EdDSA`, `ES256`, `RS256`). */
  vc_jwt_algorithm: Defaulted<VcJwtChoice>;
  /**
   * Whether staff may suspend badges. Off by default: OB 3.0 gives a badge one status entry (revocation), so a
   * suspension is kept in Stackable's register only (see docs/standards.md, "Credential status").
   */
  allow_suspension: Defaulted<boolean>;
  /** How many years an established program runs between periodic reviews (1–10, 5 unless chosen). */
  periodic_review_years: Defaulted<number>;
}

/** The institution's choice of VC-JWT copies: none, or the JWS algorithm that signs them. */
export type VcJwtChoice = 'off' | 'EdDSA' | 'ES256' | 'RS256';

export interface DepartmentsTable {
  code: string;
  name: string;
  head_user_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CoursesTable {
  /** The key other tables use: subject and number joined by one space. */
  code: string;
  subject: string;
  number: string;
  title: string;
  credits: number;
  level: Level;
  department_code: ColumnType<string | null, string | null | undefined, string | null>;
  is_active: Defaulted<boolean>;
  /** 'proposed' when a program proposal named it before the registrar confirmed it. */
  status: Defaulted<CourseStatus>;
  /** Who named a proposed course in their proposal: they may not also confirm it. */
  proposed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CertificatesTable {
  slug: string;
  title: string;
  description: string;
  level: Defaulted<Level>;
  /** The credits the whole certificate needs: its badges plus its extra courses. */
  credits_required: Defaulted<number>;
  /** Awarded by the registrar and shown on the transcript (credit-bearing). */
  is_transcripted: Defaulted<boolean>;
  /** null: every offered badge that stacks into it; otherwise at least this many. */
  badges_required: number | null;
  outcome: string | null;
  updated_at: Timestamp;
  /** The version the public pages show; null until first published (see migration 0021). */
  published_version: Defaulted<number | null>;
}

export interface Skill {
  name: string;
  framework?: string;
  url?: string;
  code?: string;
}

export interface ProgramsTable {
  id: string;
  slug: string;
  title: string;
  summary: string;
  description: string;
  department_code: string;
  level: Level;
  credits_min: number;
  credits_max: number;
  credit_type: CreditType;
  status: ProgramState;
  pilot_start_year: number | null;
  fee_cents: number;
  validity_years: number | null;
  /** What renewing the program's badge takes, met by work done after the award (null: no renewal offered). */
  renewal_requirement: ColumnType<unknown | null, string | null | undefined, string | null>;
  outcomes: Json<string[]>;
  skills: Json<Skill[]>;
  requirement: Json<unknown>;
  stacks_into: Json<string[]>;
  enrolment_paths: Json<EnrolmentPath[]>;
  lead_user_id: string | null;
  version: Defaulted<number>;
  issuing_office: Defaulted<IssuingOffice>;
  contacts: ColumnType<ProgramContact[], string | undefined, string>;
  pilot_started_on: string | null;
  /** How it is taught; null for programs proposed before the form asked (migration 0043). */
  delivery_mode: ColumnType<DeliveryMode | null, DeliveryMode | null | undefined, DeliveryMode | null>;
  /** Who the program is for, in the lead's words. */
  audience: ColumnType<string, string | undefined, string>;
  /** The day the program became established; empty for programs established before it was recorded. */
  established_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProgramCoursesTable {
  program_id: string;
  course_code: string;
  position: number;
}

export type LearnerStatus = 'degree_seeking' | 'non_degree_seeking' | 'current' | 'returning';

export interface LearnersTable {
  id: string;
  user_id: string | null;
  email: string;
  name: string;
  student_id: string;
  status: LearnerStatus;
  /** False while the student ID is only what the learner typed (see migration 0014). */
  identity_confirmed: Defaulted<boolean>;
  /** As the student system keeps them (migration 0022); null on records made from a self-service form. */
  given_name: string | null;
  family_name: string | null;
  created_at: Timestamp;
}

/**
 * Changes to the staff home's two figures, one row per statement that changed them (migration 0068's triggers write
 * them); a figure is the sum of its rows.
 */
export interface LearnerCountsTable {
  figure: 'learners' | 'active_enrolments';
  change: number;
}

export interface EnrolmentsTable {
  id: string;
  learner_id: string;
  program_id: string;
  path: EnrolmentPath;
  enrolled_on: string;
  status: Defaulted<'active' | 'withdrawn' | 'completed'>;
}

export interface CompletionsTable {
  id: string;
  learner_id: string;
  course_code: string;
  term: string;
  grade: string;
  credits: number;
  completed_on: string;
  source: Defaulted<string>;
  updated_at: Timestamp;
}

/** Every table, as Kysely sees it. */
export interface DB
  extends ProgramsTables,
    CredentialsTables,
    ProgressTables,
    LearnersTables,
    IssuingTables,
    BillingTables,
    BackpackTables,
    CatalogTables,
    InstitutionTables,
    InsightTables,
    TrustedIssuersTables,
    IntegrationsTables,
    SsoTables,
    WalletTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  account_emails: AccountEmailsTable;
  audit_log: AuditLogTable;
  mail_outbox: MailOutboxTable;
  sign_in_failures: SignInFailuresTable;
  setup_tokens: SetupTokensTable;
  sign_up_attempts: SignUpAttemptsTable;
  institution: InstitutionTable;
  departments: DepartmentsTable;
  courses: CoursesTable;
  certificates: CertificatesTable;
  programs: ProgramsTable;
  program_courses: ProgramCoursesTable;
  learners: LearnersTable;
  enrolments: EnrolmentsTable;
  learner_counts: LearnerCountsTable;
  completions: CompletionsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Program = Selectable<ProgramsTable>;
export type Institution = Selectable<InstitutionTable>;
