import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { insertionOrder } from './table-order.ts';

/** One of our tables as the database describes it. */
export interface TableShape {
  name: string;
  /** Stored columns in their order (generated columns are left out: the database computes them). */
  columns: string[];
  /** Columns that reference the table itself: rows with them empty are exported first (see export-database.ts). */
  selfReferences: string[];
}

/**
 * References that statement triggers keep instead of foreign keys (migration 0058: checking a million imported
 * rows' keys one row at a time was most of an import's time). The catalog does not list them as constraints, yet
 * a restore meets the same refusals if a row comes before the row it names, so they order tables like keys do.
 */
const keysKeptByTriggers: readonly { from: string; to: string }[] = [
  { from: 'completions', to: 'learners' },
  { from: 'completions', to: 'courses' },
  { from: 'completion_import_rows', to: 'completion_imports' },
  { from: 'completion_import_rows', to: 'learners' },
  { from: 'completion_import_learners', to: 'completion_imports' },
  { from: 'completion_import_learners', to: 'learners' },
];

/**
 * Tables whose rows the database derives from other tables by itself (statement triggers, migration 0068's kept
 * learner figures): neither exported nor restored, since restoring the rows they derive from writes them again.
 * Restored as well, they would count everything twice.
 */
const derivedByTriggers: ReadonlySet<string> = new Set(['learner_counts']);

/**
 * Our tables (the `public` schema; pg-boss keeps its own) in foreign-key insertion order, read from the system
 * catalog through `db` so that inside a transaction it sees that transaction's schema.
 */
export async function describeTables(db: Db): Promise<TableShape[]> {
  const columns = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname, a.attnum`.execute(db);
  const references = await sql<{ from: string; to: string }>`
    select child.relname as from, parent.relname as to
    from pg_constraint k
    join pg_class child on child.oid = k.conrelid
    join pg_class parent on parent.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = 'public'::regnamespace`.execute(db);
  const selfReferences = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any (k.conkey)
    where k.contype = 'f' and k.connamespace = 'public'::regnamespace and k.conrelid = k.confrelid
    order by c.relname, a.attnum`.execute(db);
  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns.rows) {
    if (!derivedByTriggers.has(table)) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const kept = keysKeptByTriggers.filter((key) => byTable.has(key.from) && byTable.has(key.to));
  return insertionOrder([...byTable.keys()], [...references.rows, ...kept]).map((name) => ({
    name,
    columns: byTable.get(name) ?? [],
    selfReferences: selfReferences.rows.filter((row) => row.table === name).map((row) => row.column),
  }));
}

/** The migrations applied to `db`, by name; empty when it was never migrated. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const exists = await sql<{ found: boolean }>`
    select to_regclass('public.kysely_migration') is not null as found`.execute(db);
  if (!exists.rows[0]?.found) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}

/** Sets every sequence behind a serial or identity column past the largest value in its column. */
export async function resetSequences(db: Db): Promise<void> {
  const owned = await sql<{ table: string; column: string; sequence: string }>`
    select t.relname as table, a.attname as column, s.oid::regclass::text as sequence
    from pg_depend d
    join pg_class s on s.oid = d.objid and s.relkind = 'S'
    join pg_class t on t.oid = d.refobjid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
    where t.relnamespace = 'public'::regnamespace and d.deptype in ('a', 'i')`.execute(db);
  for (const { table, column, sequence } of owned.rows) {
    // The next value handed out is one past the largest stored (or 1 in an empty table).
    await sql`select setval(${sequence}::regclass, coalesce((select max(${sql.id(column)}) from ${sql.id(table)}), 0) + 1, false)`.execute(
      db,
    );
  }
}
