/**
 * The words people read for each audit action and record type: the one place they are written, for the audit
 * log and for each record's own history (a program's page). Pure, so any module's page may import it.
 *
 * An action nobody has named yet still reads as words ("Program: digest sent"), never as its code.
 */

/** Every action services record, in plain words. */
export const actionLabels: Readonly<Record<string, string>> = {
  // Accounts and sign-in
  'account.address_add_refused': 'E-mail address held by another account not added',
  'account.address_added': 'E-mail address added, waiting for confirmation',
  'account.address_confirmed': 'Added e-mail address confirmed',
  'account.address_removed': 'E-mail address removed',
  'account.administrator_created': 'Administrator account created',
  'account.created': 'Account created',
  'account.created_by_claim': 'Account created while claiming a badge',
  'account.deactivated': 'Account deactivated',
  'account.email_verified': 'E-mail address confirmed',
  'account.first_administrator': 'First administrator set up',
  'account.invitation_accepted': 'Invitation accepted',
  'account.invitation_resent': 'Invitation sent again',
  'account.invited': 'Person invited',
  'account.login': 'Signed in',
  'account.login_failed': 'Sign-in failed',
  'account.logout': 'Signed out',
  'account.password_reset': 'Password reset',
  'account.primary_address_changed': 'Primary e-mail address changed',
  'account.reactivated': 'Account reactivated',
  'account.reset_requested': 'Password reset requested',
  'account.role_granted': 'Role granted',
  'account.roles_changed': 'Roles changed',
  'account.setup_opened': 'Set-up link opened',
  'account.sign_up_for_existing': 'Sign-up tried for an existing account',
  'account.signed_up': 'Signed up',
  'account.verification_resent': 'Address confirmation sent again',
  // Integrations
  'api_client.created': 'API client created',
  'api_client.revoked': 'API client revoked',
  'api_client.secret_rotated': 'API client secret replaced',
  'api_client.token_issued': 'API access token issued',
  // Approval chains
  'approval_chain.renamed': 'Approval chain renamed',
  'approval_chain.step_added': 'Approval step added',
  'approval_chain.step_changed': 'Approval step changed',
  'approval_chain.step_moved': 'Approval step moved',
  'approval_chain.step_removed': 'Approval step removed',
  // Backpack
  'backpack.accepted': 'Badge accepted by its learner',
  'backpack.claim_link_resent': 'Claim link sent again',
  'backpack.claim_refused': 'Badge claim refused',
  'backpack.claimed': 'Badge claimed',
  'backpack.collection_added': 'Profile collection added',
  'backpack.collection_changed': 'Profile collection changed',
  'backpack.collection_moved': 'Profile collection moved',
  'backpack.collection_removed': 'Profile collection removed',
  'backpack.declined': 'Badge declined by its learner',
  'backpack.name_visibility_changed': 'Name shown on badge changed',
  'backpack.profile_published': 'Public profile published',
  'backpack.profile_saved': 'Public profile address or bio saved',
  'backpack.profile_unpublished': 'Public profile taken down',
  // Badges and requests
  'badge.issued': 'Badge issued',
  'badge_request.approved': 'Badge request approved',
  'badge_request.demo_seeded': 'Demo badge request added',
  'badge_request.issued': 'Badge request issued',
  'badge_request.requested': 'Badge requested',
  'badge_request.returned': 'Badge request returned',
  'badge_request.withdrawn': 'Badge request withdrawn',
  // Catalog
  'certificate.created': 'Certificate created',
  'certificate.draft_saved': 'Certificate draft saved',
  'certificate.published': 'Certificate published',
  'completion.corrected': 'Completion corrected',
  'completions.imported': 'Completions imported',
  'course.confirmed': 'Course confirmed',
  'course.created': 'Course created',
  'course.deactivated': 'Course deactivated',
  'course.proposed': 'Course proposed',
  'course.reactivated': 'Course reactivated',
  'course.updated': 'Course updated',
  'department.created': 'Department created',
  'department.updated': 'Department updated',
  'term.created': 'Term created',
  'term.updated': 'Term updated',
  // Credentials and verification
  'credential.issued': 'Credential signed and issued',
  'credential.reinstated': 'Credential reinstated',
  'credential.revoked': 'Credential revoked',
  'credential.suspended': 'Credential suspended',
  'credential.visibility_changed': 'Credential visibility changed',
  'credentials.key_rotated': 'Signing key replaced',
  'trusted_issuer.added': 'Trusted issuer added',
  'trusted_issuer.removed': 'Trusted issuer removed',
  'trusted_issuer_registry.added': 'Issuer registry added',
  'trusted_issuer_registry.refreshed': 'Issuer registry refreshed',
  'trusted_issuer_registry.removed': 'Issuer registry removed',
  // Demo
  'demo.seeded': 'Demo university loaded',
  // Learners
  'enrolment.created': 'Enrolled',
  'enrolment.reopened': 'Enrolment reopened',
  'learner.created': 'Learner record created',
  'learner.identity_confirmed': 'Learner identity confirmed',
  'learner.link_refused': 'Learner record not linked',
  'learner.linked': 'Learner record linked to an account',
  'learner.status_changed': 'Learner status changed',
  'learner.unlinked': 'Learner record unlinked',
  'learner.updated': 'Learner record updated',
  'reactivation.approved': 'Return to studies approved',
  'reactivation.declined': 'Return to studies declined',
  'reactivation.requested': 'Return to studies requested',
  // Fees
  'fee.exported': 'Fees exported to the bursar',
  'fee.flagged_for_review': 'Fee flagged for review',
  'fee.posted': 'Fee charged',
  'fee.reversed': 'Fee reversed',
  'fee.waived': 'Fee waived',
  // Institution
  'institution.logo_changed': 'Logo changed',
  'institution.logo_removed': 'Logo removed',
  'institution.profile_changed': 'Institution profile changed',
  'institution.profile_created': 'Institution profile created',
  // Issuing
  'issuing.registrar_exported': 'Registrar export made',
  'tracking_list.committed': 'Tracking list confirmed',
  'tracking_list.discarded': 'Tracking list discarded',
  'tracking_list.issued': 'Tracking list issued',
  'tracking_list.resumed': 'Tracking list issuing resumed',
  'tracking_list.submitted': 'Tracking list submitted to the office',
  'tracking_list.uploaded': 'Tracking list uploaded',
  // Mail
  'mail.resent': 'E-mail sent again',
  'mail_template.reset': 'E-mail template reset',
  'mail_template.saved': 'E-mail template saved',
  // Programs
  'program.approve_pilot': 'Approved for pilot',
  'program.approve_step': 'Review step approved',
  'program.digest_sent': 'Weekly summary of what is due sent',
  'program.drafted': 'Proposal drafted',
  'program.edited': 'Proposal edited',
  'program.note_added': 'Consultation note added',
  'program.periodic_review_saved': 'Periodic review saved',
  'program.periodic_review_submitted': 'Periodic review submitted',
  'program.reject': 'Full proposal returned to pilot',
  'program.reminder_sent': 'Reminder sent',
  'program.request_changes': 'Changes requested',
  'program.request_signatures': 'Signatures requested',
  'program.retire': 'Retired',
  'program.review_saved': 'Pilot review saved',
  'program.review_submitted': 'Pilot review submitted',
  'program.revise': 'Reopened for revision',
  'program.signature_declined': 'Declined to sign',
  'program.signed': 'Signed',
  'program.signer_added': 'Signer named',
  'program.signer_removed': 'Signer removed',
  'program.submit': 'Submitted to the credentials office',
  'program.submit_full_proposal': 'Full proposal submitted',
  'program.version_created': 'New version saved',
  'program.wording_published': 'Wording fix published',
  'program.modification_drafted': 'Change proposed',
  'program.modification_edited': 'Proposed change edited',
  'program.modification_submit': 'Proposed change submitted for approval',
  'program.modification_approve_step': 'Proposed change approved at a step',
  'program.modification_return': 'Proposed change returned',
  'program.modification_withdraw': 'Proposed change withdrawn',
  'program.reinstate': 'Reinstated',
  // Single sign-on
  'sso.provider_added': 'Identity provider added',
  'sso.provider_changed': 'Identity provider changed',
  'sso.provider_removed': 'Identity provider removed',
  'sso.settings_changed': 'Single sign-on settings changed',
  'sso.sign_in_failed': 'Single sign-on refused',
  'sso.signed_in': 'Signed in through single sign-on',
  'sso.test_sign_in': 'Identity provider tested',
  // Progress
  'progress.experience_signed_off': 'Experience signed off',
  'progress.substitution_approved': 'Substitution approved',
};

/** Record types as people say them. */
export const entityTypeLabels: Readonly<Record<string, string>> = {
  api_client: 'API client',
  approval_chain: 'Approval chain',
  badge_request: 'Badge request',
  bursar_export: 'Bursar export',
  certificate: 'Certificate',
  completion: 'Completion',
  completion_import: 'Completions import',
  course: 'Course',
  credential: 'Credential',
  department: 'Department',
  emailAddress: 'E-mail address',
  enrolment: 'Enrolment',
  fee_charge: 'Fee',
  identity_provider: 'Identity provider',
  institution: 'Institution',
  issued_award: 'Issued badge',
  issuer_key: 'Signing key',
  learner: 'Learner',
  mail: 'E-mail',
  mail_template: 'E-mail template',
  program: 'Program',
  reactivation_request: 'Return to studies',
  registrar_export: 'Registrar export',
  setup: 'Set-up',
  sso_settings: 'Single sign-on settings',
  term: 'Term',
  tracking_list: 'Tracking list',
  trusted_issuer: 'Trusted issuer',
  trusted_issuer_registry: 'Issuer registry',
  user: 'Person',
};

const humanise = (code: string) => code.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

/** An action in words: its label, or its code read aloud ("Program: digest sent") until it is given one. */
export function actionLabel(action: string): string {
  const label = actionLabels[action];
  if (label) return label;
  const [entity, verb] = action.split('.', 2);
  return verb ? `${entityTypeLabel(entity!)}: ${humanise(verb).toLowerCase()}` : humanise(action);
}

/** A record type in words. */
export function entityTypeLabel(type: string): string {
  return entityTypeLabels[type] ?? humanise(type);
}
