/**
 * Whether the person behind an account is the one a learner record (from the student system) describes, for a
 * self-service request that names the record's student ID. Pure: the caller reads the record and the account.
 *
 * Knowing a student ID proves nothing (they are printed on cards, transcripts and class lists), so an ID is only
 * ever a pointer to a record. The second fact is the e-mail on record, which comes from the registrar: an
 * account's own e-mail is proven (see ClaimsService.claimForActor), so when the two are the same, the account
 * holder is the record's person. Anything else is for staff to verify, with the differences spelt out.
 */

/** What staff are warned about when they compare a request with the record on file. */
export type IdentityConflict = 'linked_to_another_account' | 'email_differs' | 'name_differs';

export interface IdentityClaim {
  userId: string;
  /** The account's e-mail, which the account holder has proven. */
  email: string;
  /** The name the person gave on the form. */
  name: string;
}

export interface RecordOnFile {
  name: string;
  email: string;
  userId: string | null;
}

export interface IdentityCheck {
  conflicts: IdentityConflict[];
  /** The e-mail on record is the account's: the student system itself vouches for the person. */
  isConfirmedByEmail: boolean;
  /** Never linked, whatever staff say: the record already belongs to another account. */
  isBlocked: boolean;
}

export const conflictLabels: Record<IdentityConflict, string> = {
  linked_to_another_account: 'Already linked to another account: this ID can never be linked again',
  email_differs: "E-mail differs: the account's e-mail is not the e-mail on record",
  name_differs: 'Name differs from the name on record',
};

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Names compared without case, accents, punctuation or spacing, so "Zoë O'Neil" is "zoe oneil". */
const plainName = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Compares a request with the record its student ID points to. */
export function checkIdentity(claim: IdentityClaim, record: RecordOnFile): IdentityCheck {
  const conflicts: IdentityConflict[] = [];
  const isBlocked = record.userId !== null && record.userId !== claim.userId;
  if (isBlocked) conflicts.push('linked_to_another_account');
  const isConfirmedByEmail = sameEmail(claim.email, record.email);
  if (!isConfirmedByEmail) conflicts.push('email_differs');
  if (plainName(claim.name) !== plainName(record.name)) conflicts.push('name_differs');
  return { conflicts, isConfirmedByEmail: isConfirmedByEmail && !isBlocked, isBlocked };
}

/** True when staff must tick "I have verified this person's identity" before approving. */
export const needsStaffVerification = (check: IdentityCheck) => check.conflicts.length > 0;
