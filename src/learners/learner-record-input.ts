/**
 * One learner record as the student system sends it (the API's PUT or one item of its bulk POST), read and
 * checked without I/O. Whether the student ID or the e-mail is already someone else's is for the service to ask.
 */
import type { LearnerStatus } from '../platform/db/schema.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import type { FieldProblem } from '../platform/errors.ts';

/** What a student ID may look like, wherever one is typed or sent. */
export const STUDENT_ID_PATTERN = /^[A-Za-z0-9-]{3,20}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;
const MAX_EMAIL = 254;

export const learnerStatuses = [
  'degree_seeking',
  'non_degree_seeking',
  'current',
  'returning',
] as const satisfies readonly LearnerStatus[];

/** A record with checked values: names trimmed, the e-mail in its one form. */
export interface LearnerInput {
  studentId: string;
  givenName: string;
  familyName: string | null;
  /** The name shown on pages and badges, made from the other two. */
  name: string;
  email: string;
  status: LearnerStatus;
}

export type LearnerReading = { ok: true; learner: LearnerInput } | { ok: false; problems: FieldProblem[] };

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const isStatus = (value: unknown): value is LearnerStatus =>
  typeof value === 'string' && (learnerStatuses as readonly string[]).includes(value);

/**
 * Reads one record. Every problem is reported, each naming its field; a missing family name is allowed, since
 * some people have one name only.
 */
export function readLearnerInput(values: Readonly<Record<string, unknown>>): LearnerReading {
  const problems: FieldProblem[] = [];
  const studentId = text(values.studentId);
  if (studentId === '') problems.push({ field: 'studentId', reason: 'is required' });
  else if (!STUDENT_ID_PATTERN.test(studentId)) {
    problems.push({ field: 'studentId', reason: 'must be 3 to 20 letters, digits or hyphens' });
  }
  const givenName = text(values.givenName);
  if (givenName === '') problems.push({ field: 'givenName', reason: 'is required' });
  else if (givenName.length > MAX_NAME) {
    problems.push({ field: 'givenName', reason: `must be at most ${MAX_NAME} characters` });
  }
  const familyName = text(values.familyName);
  if (familyName.length > MAX_NAME) {
    problems.push({ field: 'familyName', reason: `must be at most ${MAX_NAME} characters` });
  }
  const email = normaliseEmail(text(values.email));
  if (email === '') problems.push({ field: 'email', reason: 'is required' });
  else if (email.length > MAX_EMAIL || !EMAIL_PATTERN.test(email)) {
    problems.push({ field: 'email', reason: 'must be an e-mail address' });
  }
  const status = values.status;
  if (status === undefined || status === null || status === '') {
    problems.push({ field: 'status', reason: 'is required' });
  } else if (!isStatus(status)) {
    problems.push({ field: 'status', reason: `must be one of ${learnerStatuses.join(', ')}` });
  }
  if (problems.length > 0 || !isStatus(status)) return { ok: false, problems };
  return {
    ok: true,
    learner: {
      studentId,
      givenName,
      familyName: familyName || null,
      name: familyName ? `${givenName} ${familyName}` : givenName,
      email,
      status,
    },
  };
}

/**
 * Problems of a batch that no single record shows: the same student ID or e-mail twice. Each repeat is named
 * at its own index, pointing back at the first.
 */
export function repeatsWithin(batch: readonly { index: number; learner: LearnerInput }[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  for (const { index, learner } of batch) {
    const id = learner.studentId.toUpperCase();
    const firstId = seenIds.get(id);
    if (firstId !== undefined) {
      problems.push({ index, field: 'studentId', reason: `repeats the student ID of item ${firstId}` });
    } else seenIds.set(id, index);
    const firstEmail = seenEmails.get(learner.email);
    if (firstEmail !== undefined) {
      problems.push({ index, field: 'email', reason: `repeats the e-mail of item ${firstEmail}` });
    } else seenEmails.set(learner.email, index);
  }
  return problems;
}
