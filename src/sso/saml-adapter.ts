/**
 * The SAML 2.0 service provider, over `@node-saml/node-saml`: signed AuthnRequests (HTTP-Redirect binding), and
 * the checks on a provider's answer: the signature of the assertion (or of the whole response) against the
 * provider's signing certificates, encrypted assertions opened with the site's key, the issuer, the audience and
 * the time conditions with a small clock skew. The library does every XML signature and encryption step; this
 * file adds what it leaves to its caller (recipient, the request answered, the assertion's id for replay checks)
 * and knows nothing about accounts.
 */
import { randomBytes } from 'node:crypto';
import { type Profile, SAML, type SamlConfig, SamlStatusError } from '@node-saml/node-saml';
import type { IdpMetadata } from './idp-metadata.ts';

/** How an answer failed, as the audit log records it. */
export type SamlFailure =
  | 'assertion_signature_invalid'
  | 'assertion_expired'
  | 'assertion_not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_recipient'
  | 'unsolicited_response'
  | 'wrong_in_response_to'
  | 'assertion_replayed'
  | 'assertion_invalid'
  | 'provider_refused'
  | 'logout_invalid';

/** A failure of the protocol, with the reason and the library's words for the log. */
export class SamlError extends Error {
  constructor(
    readonly reason: SamlFailure,
    detail: string,
  ) {
    super(detail);
    this.name = 'SamlError';
  }
}

/** Clocks of the provider and this site may differ this much. */
export const CLOCK_SKEW_MS = 90 * 1000;

/** This site's addresses as one provider's service provider (each provider gets its own entity id). */
export function serviceProviderUrls(publicUrl: string, slug: string) {
  const base = `${publicUrl}/sso/saml/${slug}`;
  return { entityId: `${base}/metadata`, acs: `${base}/acs`, logout: `${base}/logout` };
}

/** The site's key pair, as PEM. */
export interface ServiceProviderKeys {
  privateKey: string;
  certificate: string;
}

/** What a validated answer says, for the service's own checks and for mapping into a profile. */
export interface SamlAnswer {
  claims: Record<string, unknown>;
  assertionId: string;
  /** When the assertion stops being valid: how long its id is remembered. */
  expiresAt: Date;
}

type Parsed = Record<string, unknown> & { $?: Record<string, string>; _?: string };
const children = (node: Parsed | undefined, name: string): Parsed[] =>
  (node?.[name] as Parsed[] | undefined) ?? [];

export class SamlServiceProvider {
  constructor(private readonly publicUrl: string) {}

  /** The library, set up for one provider. */
  library(slug: string, idp: IdpMetadata, keys: ServiceProviderKeys, requestId?: string): SAML {
    const urls = serviceProviderUrls(this.publicUrl, slug);
    const config: SamlConfig = {
      issuer: urls.entityId,
      callbackUrl: urls.acs,
      logoutCallbackUrl: urls.logout,
      entryPoint: idp.signOnUrl,
      logoutUrl: idp.logoutUrl ?? undefined,
      idpCert: idp.signingCertificates,
      idpIssuer: idp.entityId,
      audience: urls.entityId,
      privateKey: keys.privateKey,
      publicCert: keys.certificate,
      decryptionPvk: keys.privateKey,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      // The request answered is checked by the caller against the one kept for this browser, after the replay
      // check, so each refusal names its own reason.
      validateInResponseTo: 'never' as SamlConfig['validateInResponseTo'],
      // The provider chooses the NameID; a stable one is read from eduPersonPrincipalName where it is transient.
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      authnRequestBinding: 'HTTP-Redirect',
      generateUniqueId: () => requestId ?? `_${randomBytes(20).toString('hex')}`,
    };
    return new SAML(config);
  }

  /** The SP metadata a provider is given: entity id, ACS, logout address, and the site's certificate. */
  metadata(slug: string, keys: ServiceProviderKeys): string {
    const urls = serviceProviderUrls(this.publicUrl, slug);
    const placeholder: IdpMetadata = {
      entityId: 'none',
      signOnUrl: urls.acs,
      logoutUrl: null,
      signingCertificates: [keys.certificate],
    };
    const xml = this.library(slug, placeholder, keys).generateServiceProviderMetadata(
      keys.certificate,
      keys.certificate,
    );
    // The library names only the HTTP-POST binding for the logout address; this site takes logout messages over
    // HTTP-Redirect (see `SamlLogout`), so the metadata says so.
    return xml.replace(
      /(<SingleLogoutService\b[^>]*Binding=")urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST(")/,
      '$1urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect$2',
    );
  }

  /** Where to send the person: the provider's sign-on address with a signed AuthnRequest, and the request's id. */
  async authorizeUrl(
    slug: string,
    idp: IdpMetadata,
    keys: ServiceProviderKeys,
  ): Promise<{ url: string; requestId: string }> {
    const requestId = `_${randomBytes(20).toString('hex')}`;
    const url = await this.library(slug, idp, keys, requestId).getAuthorizeUrlAsync('', undefined, {});
    return { url, requestId };
  }

  /** Validates a posted `SAMLResponse`; throws `SamlError` with a reason. */
  async validate(
    slug: string,
    idp: IdpMetadata,
    keys: ServiceProviderKeys,
    samlResponse: string,
  ): Promise<SamlAnswer & { recipients: string[]; inResponseTo: (string | null)[] }> {
    let result: Awaited<ReturnType<SAML['validatePostResponseAsync']>>;
    try {
      result = await this.library(slug, idp, keys).validatePostResponseAsync({ SAMLResponse: samlResponse });
    } catch (error) {
      throw classify(error);
    }
    const profile = result.profile;
    if (!profile) throw new SamlError('assertion_invalid', 'the answer carried no assertion');
    const assertion = (profile.getAssertion?.() as { Assertion?: Parsed } | undefined)?.Assertion;
    const assertionId = assertion?.$?.ID;
    if (!assertion || !assertionId) throw new SamlError('assertion_invalid', 'the assertion has no ID');
    const confirmations = children(children(assertion, 'Subject')[0], 'SubjectConfirmation').map(
      (confirmation) => children(confirmation, 'SubjectConfirmationData')[0]?.$ ?? {},
    );
    const conditions = children(assertion, 'Conditions')[0]?.$ ?? {};
    const ends = [conditions.NotOnOrAfter, ...confirmations.map((c) => c.NotOnOrAfter)]
      .map((text) => (text ? Date.parse(text) : Number.NaN))
      .filter((ms) => !Number.isNaN(ms));
    const expiresAt = new Date(
      (ends.length > 0 ? Math.max(...ends) : Date.now() + 60 * 60 * 1000) + CLOCK_SKEW_MS,
    );
    const claims: Record<string, unknown> = {
      ...(profile.attributes as Record<string, unknown> | undefined),
      nameID: profile.nameID,
      nameIDFormat: profile.nameIDFormat,
      ...(profile.sessionIndex ? { sessionIndex: profile.sessionIndex } : {}),
    };
    return {
      claims,
      assertionId,
      expiresAt,
      recipients: confirmations.map((c) => c.Recipient ?? ''),
      inResponseTo: [
        (profile.inResponseTo as string | undefined) ?? null,
        ...confirmations.map((c) => c.InResponseTo ?? null),
      ],
    };
  }
}

/** Who a single-logout message is about: the names the provider gave the session when it opened it. */
export interface SamlSessionNames {
  nameID: string;
  nameIDFormat: string | null;
  sessionIndex: string | null;
}

/** A provider's single-logout message, read and checked: its LogoutRequest (to answer) or its LogoutResponse. */
export type SamlLogoutMessage =
  | { kind: 'request'; names: SamlSessionNames; sessionIndexes: string[]; request: Profile }
  | { kind: 'response' };

/**
 * Single logout over the HTTP-Redirect binding, where the signature covers the query string. The library accepts a
 * message with no signature at all, so a signature is required here before it is asked to check one.
 */
export class SamlLogout {
  constructor(private readonly sp: SamlServiceProvider) {}

  /** The provider's logout address with this site's signed LogoutRequest for the session named. */
  requestUrl(slug: string, idp: IdpMetadata, keys: ServiceProviderKeys, names: SamlSessionNames) {
    const profile = {
      issuer: idp.entityId,
      nameID: names.nameID,
      nameIDFormat: names.nameIDFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified',
      ...(names.sessionIndex ? { sessionIndex: names.sessionIndex } : {}),
    } as Profile;
    return this.sp.library(slug, idp, keys).getLogoutUrlAsync(profile, '', {});
  }

  /** Reads a LogoutRequest or LogoutResponse from its query (`rawQuery` exactly as sent); throws `SamlError`. */
  async read(
    slug: string,
    idp: IdpMetadata,
    keys: ServiceProviderKeys,
    query: Record<string, string>,
    rawQuery: string,
  ): Promise<SamlLogoutMessage> {
    if (!query.Signature || !query.SigAlg) {
      throw new SamlError('logout_invalid', 'the logout message is not signed');
    }
    let result: Awaited<ReturnType<SAML['validateRedirectAsync']>>;
    try {
      result = await this.sp.library(slug, idp, keys).validateRedirectAsync(query, rawQuery);
    } catch (error) {
      throw new SamlError(
        'logout_invalid',
        (error instanceof Error ? error.message : String(error)).slice(0, 300),
      );
    }
    if (!query.SAMLRequest) return { kind: 'response' };
    const profile = result.profile;
    if (!profile?.nameID) throw new SamlError('logout_invalid', 'the LogoutRequest names nobody');
    const indexes = (profile as { sessionIndex?: string | string[] }).sessionIndex;
    const sessionIndexes = (Array.isArray(indexes) ? indexes : indexes ? [indexes] : []).map(String);
    return {
      kind: 'request',
      names: { nameID: profile.nameID, nameIDFormat: profile.nameIDFormat ?? null, sessionIndex: null },
      sessionIndexes,
      request: profile,
    };
  }

  /** The provider's logout address with this site's signed LogoutResponse to `request`. */
  responseUrl(
    slug: string,
    idp: IdpMetadata,
    keys: ServiceProviderKeys,
    request: Profile,
    relayState: string,
  ) {
    return this.sp.library(slug, idp, keys).getLogoutResponseUrlAsync(request, relayState, {}, true);
  }
}

/** Names what went wrong from the library's words. */
function classify(error: unknown): SamlError {
  const message = error instanceof Error ? error.message : String(error);
  const of = (reason: SamlFailure) => new SamlError(reason, message.slice(0, 300));
  if (error instanceof SamlStatusError) return of('provider_refused');
  if (/signature/i.test(message)) return of('assertion_signature_invalid');
  if (/expired/i.test(message)) return of('assertion_expired');
  if (/not yet valid/i.test(message)) return of('assertion_not_yet_valid');
  if (/audience/i.test(message)) return of('wrong_audience');
  if (/issuer/i.test(message)) return of('wrong_issuer');
  return of('assertion_invalid');
}
