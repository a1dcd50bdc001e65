import { createHash } from 'node:crypto';
import { isObject } from '../read-presented-badge.ts';
import type { Check } from '../verification-types.ts';

const HASHED = /^(sha256|md5)\$([0-9a-f]+)$/i;

function digest(algorithm: string, text: string): string {
  return createHash(algorithm.toLowerCase()).update(text, 'utf8').digest('hex');
}

/**
 * Compares an e-mail address the person verifying typed with a badge's recipient (an OB 2.0 IdentityObject, or an
 * OB 3.0 IdentityObject with `identityHash`): the salted `sha256$`/`md5$` hash, or the plain address. Addresses are
 * compared trimmed and without regard to case, as issuers hash them; the hash of the address as typed is tried too.
 * Pure.
 */
export function checkRecipient(recipient: unknown, email: string): Check {
  const given = email.trim();
  if (!isObject(recipient)) {
    return { id: 'recipient', status: 'failed', message: 'The badge names no recipient to compare with.' };
  }
  // An OB 3.0 IdentityObject's `type` is always 'IdentityObject'; what it identifies by is its `identityType`.
  const type = typeof recipient.identityType === 'string' ? recipient.identityType : recipient.type;
  if (type !== 'email' && type !== 'emailAddress') {
    return {
      id: 'recipient',
      status: 'warning',
      message: `The badge names its recipient by ${String(type ?? 'an unknown kind of identity')}, not by e-mail, so ${given} could not be compared.`,
    };
  }
  const identity = recipient.identity ?? recipient.identityHash;
  if (typeof identity !== 'string') {
    return { id: 'recipient', status: 'failed', message: 'The badge names no recipient to compare with.' };
  }
  const salt = typeof recipient.salt === 'string' ? recipient.salt : '';
  const hashed = HASHED.exec(identity);
  const candidates = [...new Set([given.toLowerCase(), given])];
  const matches =
    recipient.hashed === true || hashed
      ? hashed !== null &&
        candidates.some((candidate) => digest(hashed[1]!, candidate + salt) === hashed[2]!.toLowerCase())
      : candidates.some((candidate) => candidate.toLowerCase() === identity.trim().toLowerCase());
  return matches
    ? { id: 'recipient', status: 'passed', message: `This badge was awarded to ${given}.` }
    : { id: 'recipient', status: 'failed', message: `This badge was not awarded to ${given}.` };
}
