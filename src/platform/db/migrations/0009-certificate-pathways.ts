import { type Kysely, sql } from 'kysely';

/**
 * Certificates as pathways: what a certificate needs beyond the badges that stack into it. The badges
 * themselves stay on the program (`programs.stacks_into`), so a program's proposal decides what it counts
 * toward; the certificate says how many of those badges it needs and which extra courses complete it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table certificates
      add column level text not null default 'undergraduate'
        check (level in ('undergraduate', 'graduate')),
      add column credits_required integer not null default 0 check (credits_required between 0 and 200),
      add column is_transcripted boolean not null default true,
      -- null: every offered badge that stacks into the certificate; a number: at least that many of them.
      add column badges_required integer check (badges_required between 1 and 50),
      add column outcome text check (length(outcome) between 1 and 500),
      add column updated_at timestamptz not null default now();

    create table certificate_courses (
      certificate_slug text not null references certificates (slug) on delete cascade,
      course_code text not null references courses (code),
      position integer not null check (position >= 0),
      -- false: an elective; the certificate's credit total says how many elective credits to choose.
      is_required boolean not null,
      primary key (certificate_slug, course_code)
    );
  `.execute(db);
}
