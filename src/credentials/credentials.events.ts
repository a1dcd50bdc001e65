import type { RevocationCategory } from './credentials.tables.ts';

/** A credential was revoked (by any path: the register, the API, the command line). */
export interface CredentialRevoked {
  credentialId: string;
  /** The reason staff gave; private to the learner and staff. */
  reason: string;
  revokedAt: Date;
  /** The kind of reason that may be shown publicly, if one was chosen. */
  category: RevocationCategory | null;
}

/** The events the credentials module publishes, each inside the transaction that made the change. */
export interface CredentialsEvents {
  'credential.revoked': CredentialRevoked;
  /** A credential's public page was shown or hidden (counts of shared badges change). */
  'credential.visibility_changed': { credentialId: string; isPublic: boolean };
}
