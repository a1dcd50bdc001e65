import { backpackClaims } from '../backpack/backpack.queries.ts';
import { feeChargeRows } from '../billing/billing.queries.ts';
import { termRows } from '../catalog/catalog.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { issuedAwardRows } from '../issuing/issuing.queries.ts';
import { enrolmentRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { isUuid } from '../platform/ids.ts';
import { programRows } from '../programs/programs.queries.ts';

/**
 * The insight module owns no tables: it reads the owners' published pieces, never a name of their tables, and
 * writes nothing.
 */
export class InsightRepository {
  /** A program by its id (staff pages' addresses) or its slug (the catalog's). */
  findProgram(db: Db, idOrSlug: string) {
    return db
      .selectFrom(programRows(db).as('p'))
      .select(['p.id', 'p.slug', 'p.title', 'p.status', 'p.credit_type', 'p.fee_cents', 'p.lead_user_id'])
      .where(isUuid(idOrSlug) ? 'p.id' : 'p.slug', '=', idOrSlug.toLowerCase())
      .executeTakeFirst();
  }

  terms(db: Db) {
    return db.selectFrom(termRows(db).as('t')).selectAll('t').orderBy('t.starts_on').execute();
  }

  enrolments(db: Db, programId: string) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .select(['e.learner_id', 'e.path', 'e.enrolled_on', 'e.status'])
      .where('e.program_id', '=', programId)
      .execute();
  }

  /** Each award of the program with its badge's status, whether it was claimed and its fee. */
  awards(db: Db, programId: string) {
    return db
      .selectFrom(issuedAwardRows(db).as('a'))
      .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
      .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'a.credential_id')
      .leftJoin(feeChargeRows(db).as('f'), 'f.credential_id', 'a.credential_id')
      .select([
        'a.learner_id',
        'a.credit_mode',
        'a.completion_date',
        'a.issued_at',
        'c.status as credential_status',
        'b.claimed_at',
        'f.status as fee_status',
        'f.amount_cents as fee_cents',
      ])
      .where('a.program_id', '=', programId)
      .execute();
  }
}
