import type { ColumnType } from 'kysely';

/** The logo files an institution has used, by the SHA-256 of their bytes (never changed, never deleted). */
export interface InstitutionLogosTable {
  sha256: string;
  content_type: 'image/png' | 'image/svg+xml';
  content: Uint8Array;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InstitutionTables {
  institution_logos: InstitutionLogosTable;
}
