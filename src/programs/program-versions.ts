import type { Db } from '../platform/db/database.ts';
import { type ProgramSnapshot, snapshotOf } from './program-state.ts';
import type { ProgramRow, ProgramsRepository } from './programs.repository.ts';

/**
 * The snapshot of the program as it stands now, written as its current version if it was not yet (programs
 * loaded before versioning existed, or a pilot just approved). A version, once written, never changes, so the
 * stored one wins over the fresh snapshot.
 */
export async function ensureVersion(
  repository: ProgramsRepository,
  trx: Db,
  program: ProgramRow,
  courses: string[],
): Promise<ProgramSnapshot> {
  const snapshot = snapshotOf(program, courses);
  await repository.insertVersion(trx, {
    programId: program.id,
    version: program.version,
    snapshot,
    note: '',
    createdBy: null,
  });
  const stored = await repository.findVersion(trx, program.id, program.version);
  return (stored?.snapshot as ProgramSnapshot | undefined) ?? snapshot;
}
