/**
 * The short address of a public profile, `/p/<handle>`: lower-case letters, digits and inner hyphens, 3 to 30
 * characters, so it reads well on a CV and needs no escaping anywhere. A few words are kept back because a page
 * at them would look like it speaks for the institution. Pure, tested beside it; the database checks the same
 * pattern and keeps handles unique.
 */

const PATTERN = /^[a-z0-9][a-z0-9-]{1,28}[a-z0-9]$/;

const RESERVED = new Set([
  'admin',
  'administrator',
  'official',
  'registrar',
  'staff',
  'support',
  'university',
]);

/** The handle as typed, tidied the way people expect (spaces round it and capitals do not count). */
export const tidyHandle = (typed: string): string => typed.trim().toLowerCase();

/** Why a (tidied) handle cannot be used, or null when it can. */
export function handleProblem(handle: string): string | null {
  if (handle.length < 3 || handle.length > 30) return 'must be between 3 and 30 characters';
  if (!PATTERN.test(handle)) {
    return 'may use only letters, digits and hyphens, and must start and end with a letter or digit';
  }
  if (handle.includes('--')) return 'must not have two hyphens in a row';
  if (RESERVED.has(handle)) return 'is kept for the institution';
  return null;
}
