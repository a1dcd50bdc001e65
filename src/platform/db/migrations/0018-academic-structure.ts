import { type Kysely, sql } from 'kysely';

/**
 * The academic structure becomes the registrar's to keep (issue 14): departments get an optional head, terms
 * appear, and courses get the parts student systems key them by (subject and number), a department, an active
 * flag and whether the registrar has confirmed them (and who proposed one, who may not confirm it). `courses.code` stays the key every other table uses; it is
 * the subject and the number joined by one space. Courses already stored came from the catalog, so they are
 * confirmed; their department is the one whose code is their subject, where there is one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table departments add column head_user_id uuid references users (id);

    create table terms (
      code text primary key,
      name text not null,
      starts_on date not null,
      ends_on date not null,
      check (starts_on < ends_on)
    );

    alter table courses
      add column subject text,
      add column number text,
      add column department_code text references departments (code),
      add column is_active boolean not null default true,
      add column status text not null default 'confirmed' check (status in ('proposed', 'confirmed')),
      add column proposed_by uuid references users (id);
    update courses set
      subject = split_part(code, ' ', 1),
      number = btrim(substr(code, length(split_part(code, ' ', 1)) + 1));
    update courses c set department_code = d.code from departments d where d.code = c.subject;
    alter table courses
      alter column subject set not null,
      alter column number set not null;
    create index courses_status_idx on courses (status);
  `.execute(db);
}
