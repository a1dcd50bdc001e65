import type { ComponentChildren } from 'preact';
import { cellText, type FigureTable } from '../figure-tables.ts';
import { formatCents } from '../money.ts';

/** A table of figures, numbers aligned right; `children` go under it (an export link, a note). */
export function FigureTableView({ table, children }: { table: FigureTable; children?: ComponentChildren }) {
  return (
    <div class="insight-table">
      <div class="table-wrap">
        <table>
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              {table.headers.map((h, i) => (
                <th key={h} scope="col" class={i > 0 ? 'numeric' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={cellText(row[0]!, String)}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key="label" scope="row">
                      {cellText(cell, formatCents)}
                    </th>
                  ) : (
                    <td key={String(i)} class="numeric">
                      {cellText(cell, formatCents)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {children}
    </div>
  );
}

/** A chart drawn on the server (`platform/charts.ts`), or a sentence saying why there is none. */
export function Chart({ svg, fallback }: { svg: string | null; fallback: string }) {
  if (!svg) return <p class="muted">{fallback}</p>;
  // Vega's SVG, drawn on the server from our own figures (its text is escaped), labelled by its title and desc.
  return <div class="insight-chart" dangerouslySetInnerHTML={{ __html: svg }} />;
}
