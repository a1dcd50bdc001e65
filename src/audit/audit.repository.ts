import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { programNames } from '../programs/programs.queries.ts';

/** One entry of the audit trail, as stored. */
export interface AuditEntry {
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Part of the acting person's name or e-mail address. */
  actor?: string;
  /** Entries about one program. */
  programId?: string;
  /** Calendar days, inclusive, in `timeZone` (UTC unless given). */
  from?: string;
  to?: string;
  timeZone?: string;
  limit: number;
  offset: number;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
/** Rows per insert: 8 parameters each, well under PostgreSQL's limit of 65,535. */
const appendChunk = 1000;

const rowOf = (entry: AuditEntry) => ({
  actor_id: entry.actorId,
  actor_label: entry.actorLabel,
  action: entry.action,
  entity_type: entry.entityType,
  entity_id: entry.entityId,
  before: json(entry.before),
  after: json(entry.after),
  ip: entry.ip ?? null,
});

/** SQL for the append-only audit log. There is deliberately no update or delete here. */
export class AuditRepository {
  async append(db: Db, entry: AuditEntry): Promise<void> {
    await db.insertInto('audit_log').values(rowOf(entry)).execute();
  }

  /** Many entries in a few statements, in the order given. */
  async appendMany(db: Db, entries: readonly AuditEntry[]): Promise<void> {
    for (let at = 0; at < entries.length; at += appendChunk) {
      await db
        .insertInto('audit_log')
        .values(entries.slice(at, at + appendChunk).map(rowOf))
        .execute();
    }
  }

  /**
   * Entries newest first, with the names of the person who acted and of the record, where the record is a
   * program, a person or a learner (read through those modules' published pieces).
   */
  async list(db: Db, filter: AuditFilter) {
    const zone = filter.timeZone ?? 'UTC';
    let query = db
      .selectFrom('audit_log as a')
      .leftJoin(userNames(db).as('who'), 'who.id', 'a.actor_id')
      .selectAll('a')
      .select([
        'who.name as actor_name',
        sql<string | null>`case a.entity_type
          when 'program' then (select p.title from ${programNames(db)} p where p.id::text = a.entity_id)
          when 'user' then (select u.name from ${userNames(db)} u where u.id::text = a.entity_id)
          when 'learner' then (select l.name from ${learnerRows(db)} l where l.id::text = a.entity_id)
        end`.as('entity_name'),
      ]);
    if (filter.action) query = query.where('a.action', 'like', `${filter.action}%`);
    if (filter.entityType) query = query.where('a.entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('a.entity_id', '=', filter.entityId);
    if (filter.programId) {
      query = query.where('a.entity_type', '=', 'program').where('a.entity_id', '=', filter.programId);
    }
    if (filter.actor) query = query.where('a.actor_label', 'ilike', `%${filter.actor}%`);
    // Days as the institution counts them: an entry at 23:30 in Vancouver belongs to that day, not the next.
    if (filter.from) query = query.where(sql<string>`(a.at at time zone ${zone})::date`, '>=', filter.from);
    if (filter.to) query = query.where(sql<string>`(a.at at time zone ${zone})::date`, '<=', filter.to);
    return query.orderBy('a.id', 'desc').limit(filter.limit).offset(filter.offset).execute();
  }

  /** Programs to filter by, by title. */
  programChoices(db: Db) {
    return db.selectFrom(programNames(db).as('p')).select(['p.id', 'p.title']).orderBy('p.title').execute();
  }

  async distinctActions(db: Db): Promise<string[]> {
    const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
    return rows.map((r) => r.action);
  }
}
