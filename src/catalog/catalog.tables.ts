/** An extra course a certificate asks for beyond its badges, in the order the pathway page lists them. */
export interface CertificateCoursesTable {
  certificate_slug: string;
  course_code: string;
  position: number;
  /** false: an elective, chosen to make up the certificate's credit total. */
  is_required: boolean;
}

/** The catalog module's own tables, merged into the `DB` interface. */
export interface CatalogTables {
  certificate_courses: CertificateCoursesTable;
}
