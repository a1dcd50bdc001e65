import { streamCsvFile } from '../platform/csv.ts';
import {
  type ListHeader,
  type ListLine,
  ListRefusal,
  readListHeader,
  readListLine,
} from './tracking-list-file.ts';

/** How a tracking list is read as CSV. */
const LIST_CSV = {
  bom: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  // A "line" longer than this is not a learner's row; most likely the file is not CSV at all.
  max_record_size: 64 * 1024,
} as const;

/**
 * The lines of a spooled tracking list, each read on its own (tracking-list-file.ts), in parts of `partSize` as
 * the CSV parser reads them: the file is never held whole, and the next part is not read until the caller has
 * done with this one. Throws a `ListRefusal` for a header the list cannot work with, an empty list or one past
 * `maxRows`, and csv-parse's `CsvError` where the file stops being CSV.
 */
export async function* readListParts(
  path: string,
  { today, partSize, maxRows }: { today: string; partSize: number; maxRows: number },
): AsyncGenerator<ListLine[]> {
  let header: ListHeader | undefined;
  let rows = 0;
  let part: ListLine[] = [];
  for await (const { line, fields } of streamCsvFile(path, LIST_CSV)) {
    if (!header) {
      header = readListHeader(fields);
      continue;
    }
    if (++rows > maxRows) throw new ListRefusal(`it has more than ${maxRows} rows; split it`);
    part.push(readListLine(fields, header, line, today));
    if (part.length === partSize) {
      yield part;
      part = [];
    }
  }
  if (!header) throw new ListRefusal('it is empty');
  if (rows === 0) throw new ListRefusal('it has a header row but no learners under it');
  if (part.length > 0) yield part;
}
