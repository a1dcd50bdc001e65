import type { ColumnType } from 'kysely';
import type { ModificationState } from './lifecycle.ts';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read back as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
type DefaultedJson<T> = ColumnType<T, string | undefined, string>;

export type IssuingOffice = 'registrar' | 'credentials_office';
export type ProposalFileKind = 'syllabus' | 'mou';
export type ConsultationResponse = 'support' | 'concerns' | 'comment';
export type SignerStatus = 'pending' | 'signed' | 'declined';
export type ReminderKind = 'pilot_review' | 'pilot_decision' | 'periodic_review' | 'lead_digest';

/** Someone to ask about a program, shown on its pages. */
export interface ProgramContact {
  name: string;
  email: string;
  role: string;
}

export interface ApprovalChainsTable {
  key: string;
  name: string;
  steps: Json<unknown>;
  updated_at: Timestamp;
}

/** The copy of a chain a proposal's review started under (see migration 0011). */
export interface ProgramApprovalChainsTable {
  program_id: string;
  chain_key: string;
  name: string;
  steps: Json<unknown>;
  started_at: Timestamp;
}

export interface ProposalsTable {
  program_id: string;
  market_analysis: Defaulted<string>;
  financial_model: Defaulted<string>;
  marketing_plan: Defaulted<string>;
  is_interdisciplinary: Defaulted<boolean>;
  has_third_party: Defaulted<boolean>;
  full_proposal_summary: Defaulted<string>;
  rationale: Defaulted<string>;
  assessment_plan: Defaulted<string>;
  /** Names of the form fields the draft was last saved without (see migration 0043). */
  missing_fields: DefaultedJson<string[]>;
  updated_at: Timestamp;
}

/** Someone the lead consults on a proposal, and their response (see migration 0043). */
export interface ProposalConsultationsTable {
  id: string;
  program_id: string;
  consultee_user_id: string | null;
  name: string;
  email: string;
  topic: Defaulted<string>;
  response: Defaulted<ConsultationResponse | null>;
  response_text: Defaulted<string>;
  responded_at: Defaulted<Date | null>;
  recorded_by: Defaulted<string | null>;
  recorded_by_name: Defaulted<string | null>;
  created_at: Timestamp;
}

export interface ProposalNotesTable {
  id: string;
  program_id: string;
  author_id: string | null;
  author_name: string;
  body: string;
  created_at: Timestamp;
}

export interface ProposalFilesTable {
  id: string;
  program_id: string;
  kind: ProposalFileKind;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

export interface ProposalSignersTable {
  id: string;
  program_id: string;
  user_id: string;
  name: string;
  email: string;
  role_label: string;
  position: number;
  status: Defaulted<SignerStatus>;
  comment: string | null;
  decided_at: Date | null;
  created_at: Timestamp;
}

export interface ApprovalStepsTable {
  id: string;
  program_id: string;
  chain_key: string;
  step_key: string;
  step_name: string;
  decision: 'approved' | 'returned';
  decided_by: string | null;
  decided_by_name: string;
  comment: string | null;
  decided_at: Timestamp;
  cleared_at: Date | null;
}

export interface ProgramVersionsTable {
  program_id: string;
  version: number;
  snapshot: Json<unknown>;
  change_note: Defaulted<string>;
  created_by: string | null;
  created_at: Timestamp;
}

/** A proposed change to an approved program, waiting for its chain (see migration 0034). */
export interface ProgramModificationsTable {
  id: string;
  program_id: string;
  base_version: number;
  fields: Json<unknown>;
  changed: Json<string[]>;
  change_note: Defaulted<string>;
  status: Defaulted<ModificationState>;
  proposed_by: string | null;
  chain: ColumnType<unknown, string | null | undefined, string | null>;
  return_comment: Defaulted<string | null>;
  submitted_at: Defaulted<Date | null>;
  decided_at: Defaulted<Date | null>;
  resulting_version: Defaulted<number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProgramModificationStepsTable {
  id: string;
  modification_id: string;
  step_key: string;
  step_name: string;
  decision: 'approved' | 'returned';
  decided_by: string | null;
  decided_by_name: string;
  comment: string | null;
  decided_at: Timestamp;
  cleared_at: Date | null;
}

/** Why and by whom a program was retired, and its reinstatement (see migration 0035). */
export interface ProgramRetirementsTable {
  id: string;
  program_id: string;
  from_status: 'pilot' | 'established';
  reason: string;
  retired_by: string | null;
  retired_at: Timestamp;
  learners_told: DefaultedJson<string[]>;
  reinstated_by: string | null;
  reinstated_at: Date | null;
}

/** What a program review is of: a pilot's year, or an established program's review period. */
export type ReviewKindName = 'pilot_review' | 'periodic_review';

/** One review of a program, of either kind (see migration 0045). */
export interface ProgramReviewsTable {
  id: string;
  program_id: string;
  kind: ReviewKindName;
  /** The pilot year (1 to 3) or the periodic review's cycle. */
  number: number;
  /** A pilot year's label ('2025-26'); null for a periodic review. */
  academic_year: string | null;
  /** The period a periodic review covers; null for a pilot year, whose dates come from the pilot calendar. */
  period_starts_on: string | null;
  period_ends_on: string | null;
  due_on: string;
  figures: DefaultedJson<unknown>;
  highlights: Defaulted<string>;
  challenges: Defaulted<string>;
  learner_feedback: Defaulted<string>;
  changes_planned: Defaulted<string>;
  updated_by: string | null;
  updated_at: Timestamp;
  submitted_by: string | null;
  submitted_at: Date | null;
}

/** The lead's post-pilot full proposal, one per program (see migration 0052). */
export interface FullProposalsTable {
  program_id: string;
  pilot_outcome: Defaulted<string>;
  enrolment_evidence: Defaulted<string>;
  proposed_changes: Defaulted<string>;
  resources: Defaulted<string>;
  assessment_plan: Defaulted<string>;
  figures: DefaultedJson<unknown>;
  updated_by: string | null;
  updated_at: Timestamp;
  submitted_by: Defaulted<string | null>;
  submitted_at: Defaulted<Date | null>;
}

/** A document uploaded with the full proposal (see migration 0052). */
export interface FullProposalDocumentsTable {
  id: string;
  program_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string | null;
  uploaded_by_name: string;
  uploaded_at: Timestamp;
}

export interface RemindersSentTable {
  id: string;
  kind: ReminderKind;
  subject_id: string;
  due_on: string;
  stage: string;
  recipient: string;
  sent_at: Timestamp;
}

/** The tables of the programs module, merged into the app's `DB`. */
export interface ProgramsTables {
  approval_chains: ApprovalChainsTable;
  program_approval_chains: ProgramApprovalChainsTable;
  proposals: ProposalsTable;
  proposal_notes: ProposalNotesTable;
  proposal_files: ProposalFilesTable;
  proposal_signers: ProposalSignersTable;
  proposal_consultations: ProposalConsultationsTable;
  approval_steps: ApprovalStepsTable;
  program_versions: ProgramVersionsTable;
  program_modifications: ProgramModificationsTable;
  program_modification_steps: ProgramModificationStepsTable;
  program_retirements: ProgramRetirementsTable;
  program_reviews: ProgramReviewsTable;
  reminders_sent: RemindersSentTable;
  full_proposals: FullProposalsTable;
  full_proposal_documents: FullProposalDocumentsTable;
}
