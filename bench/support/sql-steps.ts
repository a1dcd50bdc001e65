import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';

/** Runs one statement of the bench's own SQL; one each, since PostgreSQL's extended protocol takes one at a time. */
export const runSql = (db: Db, text: string) => sql.raw(text).execute(db);

/** A step that runs one statement and logs how long it took, for the fixtures that grow a database. */
export function timedSteps(db: Db, log: (line: string) => void) {
  return async (what: string, text: string): Promise<void> => {
    const at = performance.now();
    await runSql(db, text);
    log(`  ${what}: ${Math.round(performance.now() - at)} ms`);
  };
}
