import { formatMoment } from '../platform/http/moment.ts';
import type { ImportChannel } from './learners.tables.ts';

/** How an import came in. */
export const channelLabels = { web: 'Upload page', api: 'API', cli: 'Command line' } as const;

/** When an import was made: '2026-11-25 15:04 UTC'. */
export { formatMoment };

/** One completions import and its rows' outcomes: all of its rows, or those of one learner. */
interface ImportLine {
  id: string;
  fileName: string;
  uploadedByLabel: string;
  createdAt: Date;
  channel?: ImportChannel;
  rowsTotal?: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Imports, newest first, each linking to its report; `withRowsTotal` adds the count of rows read. */
export function ImportsTable(props: {
  caption: string;
  imports: readonly ImportLine[];
  withRowsTotal?: boolean;
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Imported</th>
            <th scope="col">File</th>
            <th scope="col">By</th>
            {props.withRowsTotal ? <th scope="col">Rows</th> : null}
            <th scope="col">New</th>
            <th scope="col">Corrected</th>
            <th scope="col">Unchanged</th>
            <th scope="col">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {props.imports.map((i) => (
            <tr key={i.id}>
              <td>
                <a href={`/learners/imports/${i.id}`}>{formatMoment(i.createdAt)}</a>
              </td>
              <td>{i.fileName}</td>
              <td>
                {i.uploadedByLabel}
                {i.channel ? <div class="muted">{channelLabels[i.channel]}</div> : null}
              </td>
              {props.withRowsTotal ? <td>{i.rowsTotal}</td> : null}
              <td>{Number(i.accepted)}</td>
              <td>{Number(i.updated)}</td>
              <td>{Number(i.unchanged)}</td>
              <td>{Number(i.rejected)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
