import { type Kysely, sql } from 'kysely';

/**
 * Where new students apply: the address the program pages' "Apply for admission" opens, which each institution
 * sets on its profile. It was guessed as `<website>/admissions`, a page a real institution may not have; empty
 * (the default, and every existing institution's value) means none is set, and the pages say whom to ask instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table institution
      add column admissions_url text not null default '' check (length(admissions_url) <= 500);
  `.execute(db);
}
