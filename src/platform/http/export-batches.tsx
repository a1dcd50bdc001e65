import type { ComponentChildren } from 'preact';
import { formatMoment } from './moment.ts';

/** What every export batch records: when, by whom. */
interface ExportBatch {
  id: string;
  created_at: Date;
  created_by_label: string;
}

/**
 * Earlier exports to another office's system, newest first, each to download again: when, by whom, what it
 * held (`counts`, one column each) and its file.
 */
export function ExportBatchesTable<B extends ExportBatch>(props: {
  caption: string;
  /** Shown where no heading already says what the table holds. */
  showCaption?: boolean;
  batches: readonly B[];
  counts: readonly { heading: string; value: (batch: B) => ComponentChildren }[];
  fileHref: (batch: B) => string;
}) {
  return (
    <div class="table-wrap">
      <table class="issuing-table">
        <caption class={props.showCaption ? undefined : 'visually-hidden'}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Exported</th>
            <th scope="col">By</th>
            {props.counts.map((count) => (
              <th key={count.heading} scope="col">
                {count.heading}
              </th>
            ))}
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          {props.batches.map((batch) => (
            <tr key={batch.id}>
              <th scope="row">{formatMoment(batch.created_at)}</th>
              <td>{batch.created_by_label}</td>
              {props.counts.map((count) => (
                <td key={count.heading}>{count.value(batch)}</td>
              ))}
              <td>
                <a href={props.fileHref(batch)}>
                  Download<span class="visually-hidden"> the export of {formatMoment(batch.created_at)}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
