import type { ColumnType } from 'kysely';

/** An extra course a certificate asks for beyond its badges, in the order the pathway page lists them. */
export interface CertificateCoursesTable {
  certificate_slug: string;
  course_code: string;
  position: number;
  /** false: an elective, chosen to make up the certificate's credit total. */
  is_required: boolean;
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
  terms: TermsTable;
}
