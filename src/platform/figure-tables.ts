/**
 * A table of figures as data: pages render it, exports write its cells, and a submitted review keeps it as it
 * stood. Values stay raw (counts, cents, a rate); each presenter formats them its own way (a page with the
 * institution's currency, a file as plain decimals).
 */

export type Cell =
  | { kind: 'text'; value: string }
  | { kind: 'count'; value: number }
  | { kind: 'cents'; value: number }
  | { kind: 'rate'; value: number | null }
  | { kind: 'days'; value: number | null };

export interface FigureTable {
  caption: string;
  headers: string[];
  rows: Cell[][];
}

/**
 * A cell as words, the same on the page and in the export except for money, which each presenter writes its
 * own way (the page in the institution's currency, a file as a plain decimal a spreadsheet sums).
 */
export function cellText(cell: Cell, money: (cents: number) => string): string {
  switch (cell.kind) {
    case 'text':
      return cell.value;
    case 'count':
      return String(cell.value);
    case 'cents':
      return money(cell.value);
    case 'rate':
      return cell.value === null ? 'no enrolments yet' : `${(cell.value * 100).toFixed(1)}%`;
    case 'days':
      return cell.value === null ? 'no completions yet' : `${cell.value} days`;
  }
}
