import type { CredentialStatusName } from './credentials.tables.ts';

/** What staff (or the API) can do to an issued credential's status. */
export type StatusChange = 'revoke' | 'suspend' | 'reinstate';

export interface StatusTransition {
  /** The statuses the change may start from. */
  from: CredentialStatusName[];
  to: CredentialStatusName;
  /** The audit action recorded. */
  action: string;
  /** What a refused change tells the person who asked. */
  refusal: string;
}

/**
 * The credential status lifecycle: active ⇄ suspended, and either of them → revoked, which is final (a revoked
 * badge is never reinstated; a new award is issued instead).
 */
export const STATUS_TRANSITIONS: Record<StatusChange, StatusTransition> = {
  revoke: {
    from: ['active', 'suspended'],
    to: 'revoked',
    action: 'credential.revoked',
    refusal: 'This credential is already revoked.',
  },
  suspend: {
    from: ['active'],
    to: 'suspended',
    action: 'credential.suspended',
    refusal: 'Only an active credential can be suspended.',
  },
  reinstate: {
    from: ['suspended'],
    to: 'active',
    action: 'credential.reinstated',
    refusal: 'Only a suspended credential can be reinstated; revocation is permanent.',
  },
};

/** What a suspension asked for while the institution has not turned suspension on says. */
export const SUSPENSION_OFF_REFUSAL =
  'Suspension is turned off for this institution: an administrator can turn it on in the institution ' +
  'profile, or the badge can be revoked instead.';

/** A credential's status as staff read it in the register. */
export const credentialStatusLabels: Readonly<Record<CredentialStatusName, string>> = {
  active: 'Active',
  suspended: 'Suspended',
  revoked: 'Revoked',
};

/** The same status as the public verification page puts it: a badge's standing. */
export const credentialStandingLabels: Readonly<Record<CredentialStatusName, string>> = {
  ...credentialStatusLabels,
  active: 'In good standing',
};
