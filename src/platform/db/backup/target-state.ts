import { type Kysely, sql } from 'kysely';
import type { Db } from '../database.ts';
import type { DB } from '../schema.ts';
import { appliedMigrations } from './schema-catalog.ts';

/** Whether a restore may write into a database without replacing anything, and what is there if not. */
export interface TargetState {
  isEmpty: boolean;
  /** In words, for the refusal: how many tables, the migration level, whether the job queue is there. */
  summary: string;
}

/**
 * Empty means nobody has run Stackable on it: no tables, views or functions in the `public` schema and no job
 * queue schema. A database that was only migrated counts as in use too; its migrations wrote rows of their own.
 */
export async function describeTarget(db: Db): Promise<TargetState> {
  const { rows } = await sql<{ tables: number | string; functions: number | string; jobs: boolean }>`
    select
      (select count(*) from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p', 'v', 'm'))
        as tables,
      (select count(*) from pg_proc where pronamespace = 'public'::regnamespace) as functions,
      exists (select from pg_namespace where nspname = 'pgboss') as jobs`.execute(db);
  const tables = Number(rows[0]?.tables ?? 0);
  const functions = Number(rows[0]?.functions ?? 0);
  const jobs = rows[0]?.jobs ?? false;
  if (tables === 0 && functions === 0 && !jobs) return { isEmpty: true, summary: 'empty' };
  const migrations = await appliedMigrations(db);
  const parts = [
    `${tables} tables`,
    migrations.length > 0 ? `migrated to ${migrations.at(-1)}` : 'not made by Stackable',
    ...(functions > 0 ? [`${functions} functions`] : []),
    ...(jobs ? ['a job queue'] : []),
  ];
  return { isEmpty: false, summary: parts.join(', ') };
}

/**
 * Drops everything in the `public` schema (tables, views, functions) and the job queue's schema, inside the
 * caller's transaction: `--replace` keeps the old data until the restore commits.
 */
export async function wipeTarget(trx: Kysely<DB>): Promise<void> {
  await sql`drop schema if exists pgboss cascade`.execute(trx);
  const { rows } = await sql<{ statement: string }>`
    select format('drop %s if exists %s cascade',
             case c.relkind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end,
             c.oid::regclass) as statement
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
    union all
    select format('drop %s if exists %s cascade', case p.prokind when 'p' then 'procedure' else 'function' end,
             p.oid::regprocedure)
    from pg_proc p
    where p.pronamespace = 'public'::regnamespace`.execute(trx);
  for (const { statement } of rows) await sql.raw(statement).execute(trx);
}
