import type { ColumnType } from 'kysely';
import type { CertificateContent } from './certificate-content.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** An extra course a certificate asks for beyond its badges, in the order the pathway page lists them. */
export interface CertificateCoursesTable {
  certificate_slug: string;
  course_code: string;
  position: number;
  /** false: an elective, chosen to make up the certificate's credit total. */
  is_required: boolean;
}

/** A badge the published certificate counts, besides those whose own proposal names it (`stacks_into`). */
export interface CertificateProgramsTable {
  certificate_slug: string;
  program_id: string;
}

/** One version of a certificate: an open draft (published_at null) or a published, frozen one. */
export interface CertificateVersionsTable {
  certificate_slug: string;
  version: number;
  content: ColumnType<CertificateContent, string, string>;
  note: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
  published_by: string | null;
  published_at: Date | null;
}

/** An academic term as the student system names it (Banner's STVTERM, PeopleSoft's STRM). */
export interface TermsTable {
  code: string;
  name: string;
  /** Calendar days, read and written as 'YYYY-MM-DD'. */
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
}

/** The catalog module's own tables, merged into the `DB` interface. */
export interface CatalogTables {
  certificate_courses: CertificateCoursesTable;
  certificate_programs: CertificateProgramsTable;
  certificate_versions: CertificateVersionsTable;
  terms: TermsTable;
}
