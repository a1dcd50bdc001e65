import type { TermCalendar } from '../learners/academic-term.ts';
import { streamCsvFile, UPLOADED_CSV } from '../platform/csv.ts';
import {
  type ListHeader,
  type ListLine,
  ListRefusal,
  readListHeader,
  readListLine,
} from './tracking-list-file.ts';

/**
 * The lines of a spooled tracking list, each read on its own (tracking-list-file.ts), in parts of `partSize` as
 * the CSV parser reads them: the file is never held whole, and the next part is not read until the caller has
 * done with this one. Throws a `ListRefusal` for a header the list cannot work with, an empty list or one past
 * `maxRows`, and csv-parse's `CsvError` where the file stops being CSV.
 */
export async function* readListParts(
  path: string,
  {
    today,
    terms,
    partSize,
    maxRows,
  }: { today: string; terms: TermCalendar; partSize: number; maxRows: number },
): AsyncGenerator<ListLine[]> {
  let header: ListHeader | undefined;
  let rows = 0;
  let part: ListLine[] = [];
  for await (const { line, fields } of streamCsvFile(path, UPLOADED_CSV)) {
    if (!header) {
      header = readListHeader(fields);
      continue;
    }
    if (++rows > maxRows) throw new ListRefusal(`it has more than ${maxRows} rows; split it`);
    part.push(readListLine(fields, header, line, today, terms));
    if (part.length === partSize) {
      yield part;
      part = [];
    }
  }
  if (!header) throw new ListRefusal('it is empty');
  if (rows === 0) throw new ListRefusal('it has a header row but no learners under it');
  if (part.length > 0) yield part;
}
