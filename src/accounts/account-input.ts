import type { FieldProblem } from '../platform/errors.ts';

/** Why an (already normalised) e-mail address cannot name an account, or null when it can. */
export function emailProblem(email: string): string | null {
  if (email === '') return 'is required';
  if (email.length > 320) return 'must be at most 320 characters';
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
    ? null
    : 'must be an e-mail address such as ada@example.edu';
}

/** Why a person's name cannot be used, or null when it can. */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length < 2) return 'must be at least 2 characters';
  if (trimmed.length > 200) return 'must be at most 200 characters';
  return null;
}

/** The problems with a new account's name and e-mail, as field problems. */
export function accountProblems(input: { name: string; email: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = nameProblem(input.name);
  if (name) problems.push({ field: 'name', reason: name });
  const email = emailProblem(input.email);
  if (email) problems.push({ field: 'email', reason: email });
  return problems;
}
