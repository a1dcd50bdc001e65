/**
 * Course codes are compared in one canonical form so that 'comm 330', 'COMM  330' and ' COMM 330' in a
 * transcript all match the rule's 'COMM 330'. Spaces are collapsed, not removed: some catalogs use the
 * space to separate subject from number and 'COMM330' may legitimately be a different code elsewhere.
 */

const canonicalPattern = /^\S+(?: \S+)*$/;

/** Trims, upper-cases and collapses runs of whitespace to a single space. */
export function normalizeCourseCode(code: string): string {
  const upper = code.toUpperCase();
  // Most codes are already canonical; skip the regex replace for them (this runs once per completion).
  if (upper === code && canonicalPattern.test(code)) return code;
  return upper.trim().replace(/\s+/g, ' ');
}
