/**
 * A SAML identity provider's metadata, read into what the service provider needs: its entity id, where to send
 * people (HTTP-Redirect binding), where it ends sessions, and every signing certificate it publishes (during a
 * key rollover it publishes the old and the new one, and answers signed with either are accepted). Pure.
 */
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** What Stackable takes from an identity provider's metadata. */
export interface IdpMetadata {
  entityId: string;
  signOnUrl: string;
  /** Absent when the provider offers no single logout over HTTP-Redirect. */
  logoutUrl: string | null;
  /** Base64 DER bodies of the signing certificates. */
  signingCertificates: string[];
}

const select = (expression: string, node: Node) => xpath.select(expression, node) as Node[];
const attr = (node: Node | undefined, name: string) =>
  node ? ((node as Element).getAttribute(name) ?? '').trim() : '';

/** Reads metadata, or says in plain words what is wrong with it. */
export function readIdpMetadata(xml: string): { metadata: IdpMetadata } | { problem: string } {
  if (/<!DOCTYPE/i.test(xml)) return { problem: 'must not contain a document type declaration' };
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch {
    return { problem: 'is not well-formed XML' };
  }
  const [entity] = select("//*[local-name()='EntityDescriptor']", doc);
  const [idp] = select("//*[local-name()='IDPSSODescriptor']", doc);
  if (!entity || !idp) return { problem: 'has no identity provider (IDPSSODescriptor) in it' };
  const entityId = attr(entity, 'entityID');
  if (!entityId) return { problem: 'has no entityID' };
  const service = (kind: string) =>
    attr(
      select(`./*[local-name()='${kind}']`, idp).find((node) => attr(node, 'Binding') === REDIRECT),
      'Location',
    );
  const signOnUrl = service('SingleSignOnService');
  if (!/^https?:\/\//.test(signOnUrl)) {
    return { problem: 'offers no single sign-on service with the HTTP-Redirect binding' };
  }
  const signingCertificates = select("./*[local-name()='KeyDescriptor']", idp)
    .filter((key) => ['', 'signing'].includes(attr(key, 'use')))
    .flatMap((key) => select(".//*[local-name()='X509Certificate']", key))
    .map((node) => (node.textContent ?? '').replace(/\s+/g, ''))
    .filter((body) => /^[A-Za-z0-9+/]+=*$/.test(body));
  if (signingCertificates.length === 0) return { problem: 'publishes no signing certificate' };
  const logoutUrl = service('SingleLogoutService');
  return {
    metadata: {
      entityId,
      signOnUrl,
      logoutUrl: /^https?:\/\//.test(logoutUrl) ? logoutUrl : null,
      signingCertificates: [...new Set(signingCertificates)],
    },
  };
}
