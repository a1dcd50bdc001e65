import { type Kysely, sql } from 'kysely';

/**
 * A badge's stored JSON and JWT (about 3.7 and 4.7 KB) and a claim e-mail's bodies are compressed as PostgreSQL
 * stores them. Its default method, pglz, took about a third of the credentials insert's time when a tracking list
 * was issued (2,000 badges: 205 ms of the statement, 140 ms with lz4), and lz4 stored them in the same space
 * (241 MB for 40,000 badges either way). Only new values use it; older ones keep pglz and read as before. PGlite
 * is built without lz4 (its only method is pglz), so there, and on any server built without it, nothing changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if exists (select 1 from pg_settings
                 where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table credentials alter column json set compression lz4, alter column jwt set compression lz4;
        alter table mail_outbox alter column text_body set compression lz4, alter column html_body set compression lz4;
      end if;
    end
    $$`.execute(db);
}
