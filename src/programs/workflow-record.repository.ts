import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Db } from '../platform/db/database.ts';
import { consultationsOf } from './consultations.repository.ts';
import {
  approvalStepsOf,
  courseCodesOf,
  filesOf,
  programWithNames,
  proposalOf,
  signersOf,
} from './programs.repository.ts';

/**
 * A program's workflow record in one statement: the program, its courses, proposal, signers, files, approval steps
 * and consultations, each read by the same query as when it is read alone. Every program page and decision needs all
 * of them, and each statement costs the thread that sends it about a third of a millisecond of CPU waking the
 * database (docs/performance.md), more than the reading itself: seven statements became one.
 *
 * The pieces arrive as JSON, which carries timestamps as text; they are Dates again here, so callers get the same
 * rows as from the pieces one by one (JSON keeps microseconds, which Date drops just as the driver does).
 */
export async function readWorkflowRecord(db: Db, programId: string) {
  const row = await programWithNames(db, programId)
    .select([
      jsonArrayFrom(courseCodesOf(db, programId)).as('courses'),
      jsonObjectFrom(proposalOf(db, programId)).as('proposal'),
      jsonArrayFrom(signersOf(db, programId)).as('signers'),
      jsonArrayFrom(filesOf(db, programId)).as('files'),
      jsonArrayFrom(approvalStepsOf(db, programId)).as('approvals'),
      jsonArrayFrom(consultationsOf(db, programId)).as('consultations'),
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  const { courses, proposal, signers, files, approvals, consultations, ...program } = row;
  return {
    program,
    courses: courses.map((course) => course.course_code),
    proposal: proposal ? { ...proposal, updated_at: asDate(proposal.updated_at) } : undefined,
    signers: signers.map((signer) => ({ ...signer, decided_at: asDateOrNull(signer.decided_at) })),
    files: files.map((file) => ({ ...file, uploaded_at: asDate(file.uploaded_at) })),
    approvals: approvals.map((step) => ({
      ...step,
      decided_at: asDate(step.decided_at),
      cleared_at: asDateOrNull(step.cleared_at),
    })),
    consultations: consultations.map((consultation) => ({
      ...consultation,
      responded_at: asDateOrNull(consultation.responded_at),
      created_at: asDate(consultation.created_at),
    })),
  };
}

/** Kysely types a JSON piece's timestamp as the column's Date; what arrives is its text. */
const asDate = (value: Date | string): Date => new Date(value);
const asDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));
