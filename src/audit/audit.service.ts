import type { Actor } from '../platform/actor.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type AuditFilter, AuditRepository } from './audit.repository.ts';

/** Who did something: a person, or the system itself (jobs, imports, start-up). */
export type AuditActor = Actor | { system: string };

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** The audit trail: every service records its decisions here, inside the same transaction as the change. */
export class AuditService {
  constructor(
    private readonly database: Database,
    private readonly repository = new AuditRepository(),
  ) {}

  async record(db: Db, actor: AuditActor | null, record: AuditRecord): Promise<void> {
    await this.repository.append(db, entryOf(actor, record));
  }

  /** Many entries by one actor, written together (bulk work such as issuing a tracking list). */
  async recordMany(db: Db, actor: AuditActor | null, records: readonly AuditRecord[]): Promise<void> {
    await this.repository.appendMany(
      db,
      records.map((record) => entryOf(actor, record)),
    );
  }

  list(filter: AuditFilter) {
    return this.repository.list(this.database.db, filter);
  }

  /**
   * The newest entry about one record, with who made it: when a person last changed something that keeps no such
   * note itself. Undefined when the log holds nothing about it (a row a migration or the installer wrote).
   */
  async latestAbout(entityType: string, entityId: string) {
    const [entry] = await this.repository.list(this.database.db, {
      entityType,
      entityId,
      limit: 1,
      offset: 0,
    });
    if (!entry) return undefined;
    return { at: new Date(entry.at), by: entry.actor_name ?? entry.actor_label, action: entry.action };
  }

  actions() {
    return this.repository.distinctActions(this.database.db);
  }

  /** The programs the log may be filtered by. */
  programChoices() {
    return this.repository.programChoices(this.database.db);
  }
}

function entryOf(actor: AuditActor | null, record: AuditRecord) {
  const person = actor && 'id' in actor ? actor : null;
  return {
    actorId: person?.id ?? null,
    actorLabel: person
      ? `${person.name} <${person.email}>`
      : actor && 'system' in actor
        ? actor.system
        : 'anonymous',
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId ?? null,
    before: record.before,
    after: record.after,
    ip: record.ip ?? null,
  };
}
