/**
 * The one form an e-mail address takes inside Stackable: Unicode NFC, no surrounding spaces, lower case.
 * Every place an address comes in (sign-in, password reset, invitations, enrolment, imports, the CLI) passes it
 * through here, so " Ada@X.edu " and "ada@x.edu" are one person, one account and one rate-limit budget.
 * Lower-casing the local part is not what RFC 5321 promises, but no university mail system treats case as
 * meaningful, and treating it so would let an attacker multiply their sign-in attempts.
 */
export function normaliseEmail(address: string): string {
  return address.trim().toLowerCase().normalize('NFC');
}
