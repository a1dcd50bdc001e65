import type { Cell } from './insight-tables.ts';

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
