import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { openSealedSecret, sealSecret } from '../platform/sealed-secret.ts';

/** An Ed25519 key pair in Multikey form: both halves multibase (base58btc) encoded. */
export interface IssuerKeyPair {
  /** Starts with `z6Mk`: the multicodec prefix of an Ed25519 public key. */
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

/** A public key as the university publishes it under its DID. */
export interface PublishedKey {
  /** The fragment after `#` in the verification method id, e.g. `key-2026` or the multibase itself. */
  keyId: string;
  publicKeyMultibase: string;
}

/** A VC-JWT public key (ES256, RS256) as published: its fragment and the key as a public JWK. */
export interface PublishedJwk {
  keyId: string;
  publicJwk: Record<string, unknown>;
}

export type VerificationMethod =
  | { id: string; type: 'Multikey'; controller: string; publicKeyMultibase: string }
  | { id: string; type: 'JsonWebKey'; controller: string; publicKeyJwk: Record<string, unknown> };

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
}

const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
// Defines the JsonWebKey type and publicKeyJwk that VC-JOSE-COSE uses for keys in controller documents.
const JWK_CONTEXT = 'https://w3id.org/security/jwk/v1';
const ED25519_MULTIBASE_PREFIX = 'z6Mk';

/** Generates a fresh Ed25519 key pair for signing badges. */
export async function generateIssuerKeyPair(): Promise<IssuerKeyPair> {
  const pair = await Ed25519Multikey.generate();
  if (!pair.secretKeyMultibase) throw new Error('The key library returned a key pair without a secret half.');
  return { publicKeyMultibase: pair.publicKeyMultibase, secretKeyMultibase: pair.secretKeyMultibase };
}

/** The did:key identifier for an Ed25519 public key (`did:key:z6Mk…`). */
export function didKeyFor(publicKeyMultibase: string): string {
  if (!publicKeyMultibase.startsWith(ED25519_MULTIBASE_PREFIX)) {
    throw new Error('Only Ed25519 public keys (multibase starting with z6Mk) can become a did:key.');
  }
  return `did:key:${publicKeyMultibase}`;
}

/**
 * The did:web identifier for a public site address: the host (with any port written as %3A) followed
 * by each path segment, separated by colons. https://uni.example/badges → did:web:uni.example:badges.
 */
export function didWebFor(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`A did:web needs a web address, not ${url.protocol} (${publicUrl}).`);
  }
  // URL already lower-cases the host name; the port separator must stay as the upper-case %3A.
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const segments = url.pathname
    .split('/')
    .filter((part) => part !== '')
    .map((part) => encodeURIComponent(decodeURIComponent(part)));
  return ['did:web', host, ...segments].join(':');
}

/**
 * Where a did:web document is published: `/.well-known/did.json` for a bare host, `<path>/did.json`
 * when the DID carries path segments. Always https, as the did:web method requires.
 */
export function didWebDocumentUrl(did: string): string {
  const parts = did.split(':');
  if (parts[0] !== 'did' || parts[1] !== 'web' || !parts[2])
    throw new Error(`Not a did:web identifier: ${did}`);
  const host = decodeURIComponent(parts[2]);
  const path = parts.slice(3).map(decodeURIComponent);
  return path.length === 0
    ? `https://${host}/.well-known/did.json`
    : `https://${host}/${path.map(encodeURIComponent).join('/')}/did.json`;
}

/** The full verification method id of one key: `<did>#<keyId>`. */
export const verificationMethodId = (did: string, keyId: string): string => `${did}#${keyId}`;

/**
 * A DID document that lists every key ever used (current and rotated) as a verification method and
 * an assertion method, so badges signed with an older key keep verifying after rotation: the Ed25519 keys as
 * Multikey, the VC-JWT keys of other algorithms as JsonWebKey.
 */
export function didDocumentFor(
  did: string,
  keys: readonly PublishedKey[],
  jwtKeys: readonly PublishedJwk[] = [],
): DidDocument {
  const verificationMethod: VerificationMethod[] = [
    ...keys.map((key) => ({
      id: verificationMethodId(did, key.keyId),
      type: 'Multikey' as const,
      controller: did,
      publicKeyMultibase: key.publicKeyMultibase,
    })),
    ...jwtKeys.map((key) => ({
      id: verificationMethodId(did, key.keyId),
      type: 'JsonWebKey' as const,
      controller: did,
      publicKeyJwk: key.publicJwk,
    })),
  ];
  return {
    '@context':
      jwtKeys.length > 0 ? [DID_CONTEXT, MULTIKEY_CONTEXT, JWK_CONTEXT] : [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((method) => method.id),
  };
}

/** What the issuer's private keys are sealed for (see platform/sealed-secret.ts). */
const SEALED_PURPOSE = 'issuer signing key';

/**
 * Seals a private key for storage with the app secret (AES-256-GCM, a key derived with HKDF-SHA256 and a fresh
 * salt), so equal private keys never produce equal stored text.
 */
export function encryptPrivateKey(secret: string, privateKey: string): string {
  return sealSecret(secret, SEALED_PURPOSE, privateKey);
}

/** Opens a private key sealed by `encryptPrivateKey` (or in the first format); throws if the secret is wrong or the text was altered. */
export function decryptPrivateKey(secret: string, sealed: string): string {
  return openSealedSecret(secret, SEALED_PURPOSE, sealed);
}
