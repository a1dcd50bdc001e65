import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { LearnerStatus } from '../platform/db/schema.ts';
import type { LearnerInput } from './learner-record-input.ts';

/** A learner record as the API shows it and compares it with what the student system sends. */
export interface StoredLearner {
  id: string;
  userId: string | null;
  studentId: string;
  givenName: string | null;
  familyName: string | null;
  name: string;
  email: string;
  status: LearnerStatus;
  identityConfirmed: boolean;
  createdAt: Date;
}

/** What a page of the API's list is narrowed by: each given value must match (case aside), all together. */
export interface LearnerFilter {
  /** Words found anywhere in the student ID, name or e-mail. */
  q?: string;
  studentId?: string;
  email?: string;
  name?: string;
  limit: number;
  offset: number;
}

const contains = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL for the learner records the student system keeps through the API: pages of them, and their upserts. */
export class LearnerRecordsRepository {
  #records(db: Db) {
    return db
      .selectFrom('learners as l')
      .select([
        'l.id',
        'l.user_id as userId',
        'l.student_id as studentId',
        'l.given_name as givenName',
        'l.family_name as familyName',
        'l.name',
        'l.email',
        'l.status',
        'l.identity_confirmed as identityConfirmed',
        'l.created_at as createdAt',
      ]);
  }

  async page(db: Db, filter: LearnerFilter): Promise<{ rows: StoredLearner[]; total: number }> {
    let query = db.selectFrom('learners as l');
    // An exact student ID or e-mail is how the student system looks one person up; the rest are searches.
    if (filter.studentId) {
      query = query.where(sql`upper(l.student_id)`, '=', filter.studentId.trim().toUpperCase());
    }
    if (filter.email) query = query.where(sql`lower(l.email)`, '=', filter.email.trim().toLowerCase());
    if (filter.name) query = query.where(sql`lower(l.name)`, 'like', contains(filter.name.trim()));
    for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
      query = query.where(
        sql<boolean>`lower(l.student_id || ' ' || l.name || ' ' || l.email) like ${contains(word)}`,
      );
    }
    const [rows, count] = await Promise.all([
      this.#records(db)
        .where((eb) => eb('l.id', 'in', query.select('l.id')))
        .orderBy('l.student_id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  /** The records with these student IDs, letter case aside (as every student ID lookup compares). */
  byStudentIds(db: Db, studentIds: readonly string[]): Promise<StoredLearner[]> {
    if (studentIds.length === 0) return Promise.resolve([]);
    const wanted = [...new Set(studentIds.map((id) => id.toUpperCase()))];
    return this.#records(db).where(sql`upper(l.student_id)`, 'in', wanted).execute();
  }

  /** The records carrying these (normalised) e-mails. */
  byEmails(db: Db, emails: readonly string[]): Promise<StoredLearner[]> {
    if (emails.length === 0) return Promise.resolve([]);
    return this.#records(db)
      .where(sql`lower(l.email)`, 'in', [...new Set(emails)])
      .execute();
  }

  /** A record from the student system: its student ID is the system's own, so it is confirmed. */
  async insert(db: Db, id: string, learner: LearnerInput): Promise<void> {
    await db
      .insertInto('learners')
      .values({
        id,
        user_id: null,
        student_id: learner.studentId,
        given_name: learner.givenName,
        family_name: learner.familyName,
        name: learner.name,
        email: learner.email,
        status: learner.status,
        identity_confirmed: true,
      })
      .execute();
  }

  /** Writes what the student system sent over a stored record; the student ID keeps its stored spelling. */
  async update(db: Db, id: string, learner: LearnerInput, identityConfirmed: boolean): Promise<void> {
    await db
      .updateTable('learners')
      .set({
        given_name: learner.givenName,
        family_name: learner.familyName,
        name: learner.name,
        email: learner.email,
        status: learner.status,
        identity_confirmed: identityConfirmed,
      })
      .where('id', '=', id)
      .execute();
  }
}
