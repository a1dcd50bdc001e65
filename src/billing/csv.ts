/**
 * CSV for the exports the student systems import (RFC 4180: CRLF line ends, quotes doubled). Names come from
 * people, so a cell a spreadsheet would run as a formula gets a leading apostrophe.
 */
export type CsvCell = string | number | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  // Signed amounts such as -10.00 stay numbers; anything else starting like a formula is neutralised.
  const text = formulaStart.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows (the first is the header) as one CSV document. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
