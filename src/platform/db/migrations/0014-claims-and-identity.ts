import { type Kysely, sql } from 'kysely';

/**
 * Whether a learner record's student ID is known to be its holder's. Records from the student system and records
 * staff linked after checking the person are confirmed; a record made from a student ID someone typed into a
 * self-service form is not, until the student system names the account holder's e-mail for that ID. Completions
 * imported for an unconfirmed record's ID are held back instead of being handed to whoever typed it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table learners add column identity_confirmed boolean not null default true;
  `.execute(db);
}
