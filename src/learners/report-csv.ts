/**
 * CSV output for import reports. The values come from uploaded files, so a cell that a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe.
 */

const formulaStart = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when it holds a comma, quote or line break; formula-looking text neutralised. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line with its CRLF ending, as RFC 4180 describes. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
