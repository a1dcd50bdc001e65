/**
 * CSV as RFC 4180 describes it (comma separated, CRLF line ends, fields with a comma, quote or line break
 * wrapped in double quotes with inner quotes doubled), for spreadsheets staff open.
 */
export type CsvCell = string | number | null | undefined;

/**
 * Text cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe: spreadsheets
 * would otherwise run them as formulas, and a learner's name is not a trusted formula.
 */
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = formulaStart.test(cell) ? `'${cell}` : cell;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows (the first is usually the header) as one CSV document, each line ending in CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
