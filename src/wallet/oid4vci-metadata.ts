/**
 * What Stackable tells wallets about itself as an OpenID for Verifiable Credential Issuance 1.0 issuer: the
 * credential issuer metadata, the authorization server metadata (RFC 8414; the issuer is its own authorization
 * server, for the pre-authorized code grant alone), and the credential offer a learner's screen shows. Pure.
 */
import { OB_EXTENSIONS_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT } from '../credentials/local-contexts.ts';

/** The one credential configuration offered: an Open Badge 3.0 as JSON-LD with its eddsa-rdfc-2022 proof. */
export const OPEN_BADGE_LDP_VC = 'OpenBadgeCredential_ldp_vc';
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** The endpoints, under the public address (which is the Credential Issuer Identifier). */
export const oid4vciEndpoints = (publicUrl: string) => ({
  token: `${publicUrl}/oid4vci/token`,
  nonce: `${publicUrl}/oid4vci/nonce`,
  credential: `${publicUrl}/oid4vci/credential`,
});

/** `/.well-known/openid-credential-issuer` (OID4VCI 1.0 §12.2). */
export function credentialIssuerMetadata(publicUrl: string, institutionName: string) {
  const endpoints = oid4vciEndpoints(publicUrl);
  return {
    credential_issuer: publicUrl,
    credential_endpoint: endpoints.credential,
    nonce_endpoint: endpoints.nonce,
    display: [{ name: institutionName, locale: 'en' }],
    credential_configurations_supported: {
      [OPEN_BADGE_LDP_VC]: {
        format: 'ldp_vc',
        cryptographic_binding_methods_supported: ['did:key'],
        credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
        credential_definition: {
          '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_EXTENSIONS_CONTEXT],
          type: ['VerifiableCredential', 'OpenBadgeCredential'],
        },
        credential_metadata: { display: [{ name: 'Open Badge', locale: 'en' }] },
      },
    },
  };
}

/** `/.well-known/oauth-authorization-server` (RFC 8414), as far as the pre-authorized code grant needs. */
export function authorizationServerMetadata(publicUrl: string) {
  return {
    issuer: publicUrl,
    token_endpoint: oid4vciEndpoints(publicUrl).token,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

/** The credential offer (OID4VCI 1.0 §4.1), by value in an `openid-credential-offer://` link. */
export function credentialOffer(publicUrl: string, preAuthorizedCode: string) {
  return {
    credential_issuer: publicUrl,
    credential_configuration_ids: [OPEN_BADGE_LDP_VC],
    grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': preAuthorizedCode } },
  };
}

export const credentialOfferLink = (publicUrl: string, preAuthorizedCode: string): string =>
  `openid-credential-offer://?credential_offer=${encodeURIComponent(
    JSON.stringify(credentialOffer(publicUrl, preAuthorizedCode)),
  )}`;
