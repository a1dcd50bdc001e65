import type { DB } from './schema.ts';

/**
 * The one module that owns each table: only its repositories name the table in SQL. Others read it through a
 * query piece the owner publishes in its `<module>.queries.ts` (a subquery they join, like `awardsJoined`) or
 * through the owner's service, and write it only through the owner's service, passing their transaction down.
 * `test/architecture/dependencies.test.ts` holds every module to this map; the type makes it list every table.
 */
export const tableOwners = {
  users: 'accounts',
  user_roles: 'accounts',
  sessions: 'accounts',
  account_tokens: 'accounts',
  sign_in_failures: 'accounts',
  setup_tokens: 'accounts',
  sign_up_attempts: 'accounts',
  audit_log: 'audit',
  mail_outbox: 'notifications',
  institution: 'institution',
  institution_logos: 'institution',
  // The university's course catalog: departments and courses exist before any program names them.
  departments: 'catalog',
  courses: 'catalog',
  terms: 'catalog',
  certificates: 'catalog',
  certificate_courses: 'catalog',
  certificate_programs: 'catalog',
  certificate_versions: 'catalog',
  programs: 'programs',
  program_courses: 'programs',
  approval_chains: 'programs',
  program_approval_chains: 'programs',
  proposals: 'programs',
  proposal_notes: 'programs',
  proposal_files: 'programs',
  proposal_signers: 'programs',
  approval_steps: 'programs',
  program_versions: 'programs',
  pilot_reviews: 'programs',
  reminders_sent: 'programs',
  learners: 'learners',
  enrolments: 'learners',
  completions: 'learners',
  reactivation_requests: 'learners',
  completion_imports: 'learners',
  completion_import_rows: 'learners',
  experiences: 'progress',
  substitutions: 'progress',
  badge_requests: 'progress',
  issuer_keys: 'credentials',
  jwt_signing_keys: 'credentials',
  status_lists: 'credentials',
  credentials: 'credentials',
  tracking_lists: 'issuing',
  tracking_list_rows: 'issuing',
  issued_awards: 'issuing',
  registrar_exports: 'issuing',
  fee_charges: 'billing',
  bursar_exports: 'billing',
  backpack_items: 'backpack',
  claim_tokens: 'backpack',
  mail_templates: 'backpack',
  trusted_issuer_registries: 'verification',
  trusted_issuers: 'verification',
  api_clients: 'integrations',
  api_access_tokens: 'integrations',
} as const satisfies Record<keyof DB, string>;

export type TableName = keyof typeof tableOwners;
