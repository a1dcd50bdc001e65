/** An account's owner proved they read its e-mail address (a verification, reset or invitation link was used). */
export interface AccountEmailVerified {
  userId: string;
  /** The normalised address now proven. */
  email: string;
  /** How it was proven, for the audit trail of whoever reacts. */
  how: 'sign-up link' | 'password reset' | 'invitation' | 'single sign-on' | 'address confirmation';
  ip: string | null;
}

/** The events the accounts module publishes, each inside the transaction that made the change. */
export interface AccountsEvents {
  'account.email_verified': AccountEmailVerified;
}
