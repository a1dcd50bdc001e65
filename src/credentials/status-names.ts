/** A credential's status, as stored and as its status lists carry it. */
export type CredentialStatusName = 'active' | 'revoked' | 'suspended';

/** Why a badge was revoked, in categories that are safe to show on its public page (the reason itself is not). */
export const revocationCategories = [
  'issued_in_error',
  'requirements_not_met',
  'academic_integrity',
  'learner_request',
  'other',
] as const;
export type RevocationCategory = (typeof revocationCategories)[number];
