/**
 * Refusals at the OID4VCI token and credential endpoints, answered as the standards ask (`{ error,
 * error_description }`, RFC 6749 §5.2 and OID4VCI 1.0 §8.3.1) rather than as a problem document, because a
 * wallet reads them by code.
 */
export type Oid4vciErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_token'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied';

export class Oid4vciError extends Error {
  constructor(
    readonly code: Oid4vciErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'Oid4vciError';
  }

  /** 401 for an access token that is missing or no longer good (RFC 6750 §3.1), 400 for everything else. */
  get status(): 400 | 401 {
    return this.code === 'invalid_token' ? 401 : 400;
  }
}
