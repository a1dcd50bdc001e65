import { type Kysely, sql } from 'kysely';

/**
 * Certificates edited by staff, versioned like programs (issue 14).
 * - `certificates` (with its courses and badges) keeps what the public pages show: the published version. A
 *   certificate never published has `published_version` null and is seen by staff only. Rows written without
 *   the editor (the demo university, earlier installs) count as published version 1, hence the default.
 * - `certificate_versions` holds every version's content. At most one is an open draft (not yet published);
 *   a published version never changes again, which a trigger enforces.
 * - `certificate_programs`: badges the certificate itself counts, besides the ones whose own proposal names it
 *   in `programs.stacks_into`.
 * - Until a certificate is first published its slug may still change; the foreign keys follow it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table certificates
      add column published_version integer default 1 check (published_version >= 1);

    alter table certificate_courses
      drop constraint certificate_courses_certificate_slug_fkey,
      add constraint certificate_courses_certificate_slug_fkey foreign key (certificate_slug)
        references certificates (slug) on delete cascade on update cascade;

    create table certificate_programs (
      certificate_slug text not null references certificates (slug) on delete cascade on update cascade,
      program_id uuid not null references programs (id) on delete cascade,
      primary key (certificate_slug, program_id)
    );

    create table certificate_versions (
      certificate_slug text not null references certificates (slug) on delete cascade on update cascade,
      version integer not null check (version >= 1),
      content jsonb not null,
      -- What the editor said changed, for the list of versions.
      note text not null default '' check (length(note) <= 500),
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now(),
      published_by uuid references users (id),
      published_at timestamptz,
      primary key (certificate_slug, version)
    );
    -- At most one open draft per certificate.
    create unique index certificate_versions_one_draft on certificate_versions (certificate_slug)
      where published_at is null;

    create function certificate_versions_published_immutable() returns trigger language plpgsql as $$
    begin
      if old.published_at is not null then
        raise exception 'a published certificate version never changes';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$;
    create trigger certificate_versions_published_frozen before update or delete on certificate_versions
      for each row execute function certificate_versions_published_immutable();
  `.execute(db);
}
