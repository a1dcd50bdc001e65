/**
 * The token endpoint's error codes (RFC 6749 §5.2). `invalid_grant` and `unauthorized_client` belong to the
 * standard's list; with the client-credentials grant the client's own credentials are the grant, so a wrong or
 * revoked one is `invalid_client` and these two are not raised today.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** A refusal at the token endpoint, answered as RFC 6749 asks rather than as a problem document. */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  /** 401 for a client that did not authenticate (so it is challenged), 400 for everything else. */
  get status(): 400 | 401 {
    return this.code === 'invalid_client' ? 401 : 400;
  }
}
