import { type Kysely, sql } from 'kysely';

/**
 * The given and family names the student system keeps for a learner, beside the one name we show. They are null
 * for records made from a self-service form, which asks for a single name; the student system's API sends both
 * and `name` is then made from them, so a record the API wrote reads back as it was sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table learners
      add column given_name text check (length(given_name) between 1 and 100),
      add column family_name text check (length(family_name) between 1 and 100);
  `.execute(db);
}
