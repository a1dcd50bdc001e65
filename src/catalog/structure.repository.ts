import { type Insertable, sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { CoursesTable } from '../platform/db/schema.ts';
import type { Level } from '../programs/program-vocabulary.ts';
import type { CourseStatus } from './course-vocabulary.ts';

export interface CourseFilter {
  /** Words matched against the code, title and department. */
  q?: string;
  status?: CourseStatus;
  limit: number;
  offset: number;
}

/** What a stored course holds, as the service compares and shows it. */
export interface StoredCourse {
  code: string;
  subject: string;
  number: string;
  title: string;
  credits: number;
  level: Level;
  departmentCode: string | null;
  isActive: boolean;
  status: CourseStatus;
  proposedBy: string | null;
}

const courseColumns = [
  'c.code',
  'c.subject',
  'c.number',
  'c.title',
  'c.credits',
  'c.level',
  'c.department_code as departmentCode',
  'c.is_active as isActive',
  'c.status',
  'c.proposed_by as proposedBy',
] as const;

const escapeLike = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL for the registrar's departments, terms and courses. */
export class StructureRepository {
  listDepartments(db: Db) {
    return db
      .selectFrom('departments as d')
      .leftJoin(userNames(db).as('u'), 'u.id', 'd.head_user_id')
      .select([
        'd.code',
        'd.name',
        'd.head_user_id as headUserId',
        'u.name as headName',
        'u.email as headEmail',
      ])
      .orderBy('d.code')
      .execute();
  }

  findDepartments(db: Db, codes: readonly string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('departments as d')
      .leftJoin(userNames(db).as('u'), 'u.id', 'd.head_user_id')
      .select(['d.code', 'd.name', 'd.head_user_id as headUserId', 'u.email as headEmail'])
      .where('d.code', 'in', codes)
      .execute();
  }

  async departmentCodes(db: Db): Promise<Set<string>> {
    const rows = await db.selectFrom('departments').select('code').execute();
    return new Set(rows.map((r) => r.code));
  }

  /** Accounts that may head a department, by lower-cased e-mail address. */
  async accountsByEmail(db: Db, emails: readonly string[]): Promise<Map<string, string>> {
    if (emails.length === 0) return new Map();
    const rows = await db
      .selectFrom(userNames(db).as('u'))
      .select(['u.id', 'u.email'])
      .where(sql<string>`lower(u.email)`, 'in', emails)
      .where('u.status', '<>', 'disabled')
      .execute();
    return new Map(rows.map((r) => [r.email.toLowerCase(), r.id]));
  }

  async saveDepartment(db: Db, row: { code: string; name: string; headUserId: string | null }) {
    await db
      .insertInto('departments')
      .values({ code: row.code, name: row.name, head_user_id: row.headUserId })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: row.name, head_user_id: row.headUserId }))
      .execute();
  }

  listTerms(db: Db) {
    return db
      .selectFrom('terms')
      .select(['code', 'name', 'starts_on as startsOn', 'ends_on as endsOn'])
      .orderBy('starts_on', 'desc')
      .execute();
  }

  findTerms(db: Db, codes: readonly string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('terms')
      .select(['code', 'name', 'starts_on as startsOn', 'ends_on as endsOn'])
      .where('code', 'in', codes)
      .execute();
  }

  async saveTerm(db: Db, row: { code: string; name: string; startsOn: string; endsOn: string }) {
    const values = { name: row.name, starts_on: row.startsOn, ends_on: row.endsOn };
    await db
      .insertInto('terms')
      .values({ code: row.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute();
  }

  async listCourses(db: Db, filter: CourseFilter) {
    let query = db.selectFrom('courses as c').leftJoin('departments as d', 'd.code', 'c.department_code');
    if (filter.status) query = query.where('c.status', '=', filter.status);
    const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    for (const word of words) {
      query = query.where(
        sql<boolean>`lower(c.code || ' ' || c.title || ' ' || coalesce(d.name, '')) like ${escapeLike(word)}`,
      );
    }
    const [rows, count] = await Promise.all([
      query
        .select([...courseColumns, 'd.name as departmentName'])
        .orderBy('c.subject')
        .orderBy('c.number')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  findCourses(db: Db, codes: readonly string[]): Promise<StoredCourse[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('courses as c').select(courseColumns).where('c.code', 'in', codes).execute();
  }

  async insertCourse(db: Db, row: Insertable<CoursesTable>) {
    await db.insertInto('courses').values(row).execute();
  }

  async updateCourse(db: Db, code: string, changes: Partial<Omit<StoredCourse, 'code' | 'proposedBy'>>) {
    await db
      .updateTable('courses')
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.credits !== undefined ? { credits: changes.credits } : {}),
        ...(changes.level !== undefined ? { level: changes.level } : {}),
        ...(changes.departmentCode !== undefined ? { department_code: changes.departmentCode } : {}),
        ...(changes.isActive !== undefined ? { is_active: changes.isActive } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
      })
      .where('code', '=', code)
      .execute();
  }
}
