/**
 * The roles a person can hold, the one vocabulary of who may do what: the type, every role in the order screens
 * list them, and each role's name in the university's words. Policies decide with these; nothing else spells them.
 */
export const allRoles = [
  'learner',
  'program_lead',
  'approver',
  'signer',
  'credentials_office',
  'registrar',
  'bursar',
  'admin',
] as const;

export type Role = (typeof allRoles)[number];

/** Display names for roles, in the university's words. */
export const roleLabels: Record<Role, string> = {
  learner: 'Learner',
  program_lead: 'Program lead',
  approver: 'Approver',
  signer: 'Signer',
  credentials_office: 'Credentials office',
  registrar: 'Registrar',
  bursar: 'Bursar',
  admin: 'Administrator',
};
