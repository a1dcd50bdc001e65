import { type RawBuilder, sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * How often a process on PGlite looks for tables to vacuum and tables whose statistics are out of date (autovacuum
 * looks every 60 s).
 */
export const PGLITE_UPKEEP_SECONDS = 30;

/**
 * What autovacuum would do on PostgreSQL, done by a process on PGlite every PGLITE_UPKEEP_SECONDS (and by the
 * benchmarks' measuring processes, which run no job workers but should plan as an installation does).
 */
export async function pgliteUpkeep(db: Db): Promise<void> {
  await vacuumChangedTables(db);
  await analyzeChangedTables(db);
}

/**
 * Analyzes the tables whose planner statistics are out of date, by autovacuum's own rule and settings: more rows
 * changed since the last analyze than `autovacuum_analyze_threshold` plus `autovacuum_analyze_scale_factor` of
 * the table's size; and, once, every table never analyzed that has rows. Returns the tables analyzed. An empty table
 * is left to the planner's own guess (ten pages): analyzed empty, it is taken for empty until its next analyze, and a
 * plan kept meanwhile (a foreign key's check, made once per session) scans the whole table for every row it checks
 * as a large tracking list fills it.
 *
 * PGlite runs no autovacuum, so without this its tables are never analyzed and the planner guesses every size
 * from pages alone. After a 3,000-row tracking list it took the outbox's queued mail and their delivery jobs for
 * 18 and 2 rows, and the stuck-mail watch's anti-join ran as nested loops over 4.5 million pairs (3.5 s; on
 * 50,000 mails it is quadratic, minutes holding PGlite's one connection every minute); analyzed, 11 ms.
 * PostgreSQL analyzes by itself and needs none of this. Temporary tables are their owner's to analyze.
 */
export function analyzeChangedTables(db: Db): Promise<string[]> {
  return runWhereDue(
    db,
    'analyze',
    sql`(coalesce(s.last_analyze, s.last_autoanalyze) is null and s.n_live_tup > 0)
      or ${pastThreshold('n_mod_since_analyze', 'autovacuum_analyze')}`,
  );
}

/**
 * Vacuums the tables autovacuum would: more dead rows than `autovacuum_vacuum_threshold` plus
 * `autovacuum_vacuum_scale_factor` of the table's size, or more rows inserted since the last vacuum than
 * `autovacuum_vacuum_insert_threshold` plus `autovacuum_vacuum_insert_scale_factor` of it. Returns the tables vacuumed.
 *
 * PGlite runs no autovacuum, so without this an embedded installation never reclaims a row an update or delete left
 * behind (every scan reads them all again, and the files only grow) and never marks pages all-visible, so an
 * index-only scan still reads the table. Like the analyze above it holds PGlite's one connection while it runs,
 * which autovacuum on PostgreSQL would not; the thresholds keep it rare. Never inside a transaction (VACUUM
 * refuses to run in one).
 */
export function vacuumChangedTables(db: Db): Promise<string[]> {
  return runWhereDue(
    db,
    'vacuum',
    sql`${pastThreshold('n_dead_tup', 'autovacuum_vacuum')}
      or ${pastThreshold('n_ins_since_vacuum', 'autovacuum_vacuum_insert')}`,
  );
}

/**
 * A statistics counter of the table past autovacuum's rule for it: more than `<settings>_threshold` plus
 * `<settings>_scale_factor` of the table's size.
 */
function pastThreshold(counter: string, settings: string): RawBuilder<boolean> {
  return sql<boolean>`s.${sql.raw(counter)} > current_setting(${`${settings}_threshold`})::float8
    + current_setting(${`${settings}_scale_factor`})::float8 * greatest(c.reltuples, 0)`;
}

/** Runs `command` over our own tables (not temporary ones) whose statistics row meets `due`; returns them. */
async function runWhereDue(
  db: Db,
  command: 'analyze' | 'vacuum',
  due: RawBuilder<unknown>,
): Promise<string[]> {
  const { rows } = await sql<{ schema: string; name: string }>`
    select s.schemaname as schema, s.relname as name
    from pg_stat_user_tables s
    join pg_class c on c.oid = s.relid
    where c.relpersistence = 'p' and (${due})
    order by 1, 2
  `.execute(db);
  if (rows.length === 0) return [];
  await sql`${sql.raw(command)} ${sql.join(rows.map(({ schema, name }) => sql.id(schema, name)))}`.execute(
    db,
  );
  return rows.map(({ schema, name }) => `${schema}.${name}`);
}
