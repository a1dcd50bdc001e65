import { type Kysely, sql } from 'kysely';

/**
 * Completions imports now read a term by the registrar's Terms page and keep it under the page's name ('Fall 2026'),
 * where they kept a year and a season ('2026 Fall') before. A completion stored the old way under a term the page
 * lists would not be found by the next file naming that term, which would add it again; so every completion kept
 * under a listed term's code, name (in other letter case or spacing) or year-and-season spelling takes its name, as
 * the learners module does when a term is added later (`relabelTerms`). Where the learner already has that course
 * under the name, the other spelling stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    with listed as (
      select code, name, lower(regexp_replace(btrim(name), '[[:space:]]+', ' ', 'g')) as spelled from terms),
    spelling as (
      select lower(code) as key, name from listed
      union select spelled, name from listed
      union select split_part(spelled, ' ', 2) || ' ' || split_part(spelled, ' ', 1), name from listed
        where spelled ~ '^(winter|spring|summer|fall) [0-9]{4}$'),
    moving as (
      select distinct on (c.learner_id, c.course_code, v.name) c.id, v.name
      from completions c
      join spelling v on lower(regexp_replace(btrim(c.term), '[[:space:]]+', ' ', 'g')) = v.key
      where c.term <> v.name
        and not exists (
          select 1 from completions d
          where d.learner_id = c.learner_id and d.course_code = c.course_code and d.term = v.name)
      order by c.learner_id, c.course_code, v.name, c.updated_at desc)
    update completions c set term = m.name, updated_at = now()
    from moving m where c.id = m.id;
  `.execute(db);
}
