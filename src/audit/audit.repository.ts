import type { Db } from '../platform/db/database.ts';

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
  actor?: string;
  from?: string;
  to?: string;
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

  async list(db: Db, filter: AuditFilter) {
    let query = db.selectFrom('audit_log').selectAll();
    if (filter.action) query = query.where('action', 'like', `${filter.action}%`);
    if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
    if (filter.actor) query = query.where('actor_label', 'ilike', `%${filter.actor}%`);
    if (filter.from) query = query.where('at', '>=', new Date(`${filter.from}T00:00:00Z`));
    if (filter.to)
      query = query.where('at', '<', new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000));
    return query.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
  }

  async distinctActions(db: Db): Promise<string[]> {
    const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
    return rows.map((r) => r.action);
  }
}
