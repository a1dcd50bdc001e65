/**
 * Reads an academic-structure CSV (departments, terms or courses) into records keyed by our own field names,
 * whichever student system wrote it: our simple headers, Banner's column names (with or without their table
 * prefix) or Colleague/PeopleSoft's. Pure; docs/academic-structure-import.md lists the same mappings for people.
 */
import { CsvReadError, readCsv } from '../platform/csv.ts';
import type { RawRecord } from './academic-structure.ts';

export type StructureKind = 'departments' | 'terms' | 'courses';

export const structureKinds: readonly StructureKind[] = ['departments', 'terms', 'courses'];

interface FieldColumns {
  field: string;
  required: boolean;
  /** Header names that fill this field, the preferred first: a file naming two of them uses the first. */
  columns: readonly string[];
}

/** Every header each kind accepts, by our field name. Names are compared in lower case. */
export const headerMappings: Readonly<Record<StructureKind, readonly FieldColumns[]>> = {
  departments: [
    {
      field: 'code',
      required: true,
      columns: ['code', 'stvdept_code', 'dept_code', 'acad_org', 'department'],
    },
    { field: 'name', required: true, columns: ['name', 'stvdept_desc', 'dept_desc', 'descr'] },
    { field: 'head', required: false, columns: ['head', 'head_email'] },
  ],
  terms: [
    { field: 'code', required: true, columns: ['code', 'stvterm_code', 'term_code', 'strm', 'term'] },
    { field: 'name', required: true, columns: ['name', 'stvterm_desc', 'term_desc', 'descr'] },
    {
      field: 'startsOn',
      required: true,
      columns: ['start_date', 'starts_on', 'stvterm_start_date', 'term_begin_dt'],
    },
    { field: 'endsOn', required: true, columns: ['end_date', 'ends_on', 'stvterm_end_date', 'term_end_dt'] },
  ],
  courses: [
    { field: 'subject', required: true, columns: ['subject', 'scbcrse_subj_code', 'subj_code'] },
    { field: 'number', required: true, columns: ['number', 'scbcrse_crse_numb', 'crse_numb', 'catalog_nbr'] },
    {
      field: 'title',
      required: true,
      columns: ['title', 'scbcrse_title', 'crse_title', 'course_title_long', 'descr'],
    },
    {
      field: 'credits',
      required: true,
      columns: ['credits', 'scbcrse_credit_hr_low', 'credit_hr_low', 'units_minimum'],
    },
    {
      field: 'department',
      required: true,
      columns: ['department', 'scbcrse_dept_code', 'dept_code', 'acad_org'],
    },
    { field: 'level', required: false, columns: ['level', 'scrlevl_levl_code', 'levl_code', 'acad_career'] },
    { field: 'active', required: false, columns: ['active', 'scbcrse_csta_code', 'csta_code', 'eff_status'] },
  ],
};

/** The file cannot be used at all; `reason` finishes "The file was not read: …". */
export class StructureFileRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StructureFileRefusal';
  }
}

/** One line of the file, its cells under our field names. */
export interface FileRow {
  line: number;
  values: RawRecord;
}

/** Where each of our fields is read from: its column's position, by field. */
export type HeaderPlan = ReadonlyMap<string, number>;

const MAX_ROWS = 20_000;

/**
 * Matches a header row to our fields. Columns we do not use are ignored (student-system extracts carry many);
 * a required field with no column refuses the file, naming the headers that would do.
 */
export function planHeader(kind: StructureKind, header: readonly string[]): HeaderPlan {
  const names = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  if (names.length === 1 && /[;\t|]/.test(names[0] ?? '')) {
    throw new StructureFileRefusal('its columns are not separated by commas; save it as comma-separated CSV');
  }
  const plan = new Map<string, number>();
  const missing: string[] = [];
  for (const { field, required, columns } of headerMappings[kind]) {
    const position = columns.map((c) => names.indexOf(c)).find((i) => i >= 0);
    if (position !== undefined) plan.set(field, position);
    else if (required) missing.push(`${field} (${columns.join(' or ')})`);
  }
  if (missing.length > 0) {
    throw new StructureFileRefusal(`the header row has no column for ${missing.join('; ')}`);
  }
  return plan;
}

/** Reads a whole file of one kind: its rows under our field names, each with its line number. */
export function readStructureFile(kind: StructureKind, text: string): FileRow[] {
  let records: ReturnType<typeof readCsv>;
  try {
    records = readCsv(text);
  } catch (error) {
    if (error instanceof CsvReadError) {
      throw new StructureFileRefusal(`it could not be read as CSV (${error.reason})`);
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new StructureFileRefusal('it is empty');
  const plan = planHeader(kind, header.fields);
  if (rows.length === 0) throw new StructureFileRefusal('it has a header row but no rows under it');
  if (rows.length > MAX_ROWS) {
    throw new StructureFileRefusal(`it has more than ${MAX_ROWS} rows; split it into smaller files`);
  }
  return rows.map((row) => {
    const values: Record<string, string> = {};
    for (const [field, position] of plan) values[field] = row.fields[position] ?? '';
    return { line: row.line, values };
  });
}
