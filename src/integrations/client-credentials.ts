import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashToken, newToken } from '../platform/ids.ts';

/**
 * The secrets of API clients and their tokens. Each is 32 random bytes, so a SHA-256 digest is a safe way to keep
 * it (no dictionary reaches it) and the digest of what a client sends is compared, in constant time, with the
 * one kept. The prefixes let secret scanners and people tell a client secret from an access token in a leak.
 */

/** A new public client identifier. */
export const newClientId = (): string => `stk_${randomBytes(12).toString('base64url')}`;

/** A new client secret: shown once to the administrator who made or rotated it. */
export const newClientSecret = (): string => `stks_${newToken()}`;

/** A new opaque access token. */
export const newAccessToken = (): string => `stka_${newToken()}`;

/** The kept form of a secret or token. */
export const digestOf = (secret: string): string => hashToken(secret);

/** Whether a secret matches a kept digest, taking the same time whatever the answer. */
export function matchesDigest(secret: string, digest: string): boolean {
  const sent = Buffer.from(digestOf(secret), 'hex');
  const kept = Buffer.from(digest, 'hex');
  return sent.length === kept.length && timingSafeEqual(sent, kept);
}

/** Client credentials as sent in an HTTP Basic header (RFC 6749 §2.3.1: each part form-urlencoded first). */
export interface BasicCredentials {
  clientId: string;
  secret: string;
}

/**
 * Reads `Authorization: Basic …`: undefined when the header uses another scheme (or is absent), null when it is
 * Basic but cannot be read.
 */
export function readBasicCredentials(header: string | undefined): BasicCredentials | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic(?:\s+([A-Za-z0-9+/]+=*))?\s*$/i.exec(header.trim());
  if (!match) return /^Basic\b/i.test(header.trim()) ? null : undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    // Broken percent-encoding (URIError) is a header that cannot be read, nothing else.
    return null;
  }
}

/** The scope parameter's tokens (RFC 6749 §3.3: space-delimited, each of printable characters but `"` and `\`). */
export function scopeTokens(scope: string): string[] | null {
  const tokens = scope.split(' ').filter((token) => token !== '');
  return tokens.every((token) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(token)) ? [...new Set(tokens)] : null;
}
