/**
 * The institution overview as a PDF report: the page's filters, its charts drawn as vectors and the very same
 * tables (the cells `overviewTables` makes for the page and the CSV exports), so a printed figure cannot differ
 * from the one on screen.
 */

import { cellText } from '../platform/figure-tables.ts';
import { formatDay } from '../platform/http/moment.ts';
import { decimalAmount } from '../platform/money.ts';
import { TaggedPdf } from '../platform/pdf.ts';
import { creditTypeLabels } from '../programs/program-vocabulary.ts';
import type { InsightTable } from './insight-tables.ts';
import { type InstitutionOverview, overviewTables } from './overview-figures.ts';

export interface OverviewReportContext {
  institutionName: string;
  /** When the report was made, as the institution's calendar has it ('YYYY-MM-DD'). */
  madeOn: string;
  language: string;
}

/** What each chart shows, for its alternative text: the numbers are in the table after it. */
const chartWords = {
  states: 'Bar chart of programs by state; the table below gives each number.',
  months: 'Bar chart of badges issued per month; the table below gives each number.',
  paths: 'Bar chart of learners enrolled by path; the table below gives each number.',
} as const;

function asPdfTable(table: InsightTable<string>) {
  return {
    caption: table.caption,
    headers: table.headers,
    rows: table.rows.map((row) => row.map((cell) => cellText(cell, decimalAmount))),
    numeric: table.headers.map((_, i) => table.rows.some((row) => row[i]?.kind === 'count')),
    widths: table.headers.length === 3 ? [3, 1.2, 1.2] : [2, 1],
    span: table.headers.length === 3 ? 1 : 0.6,
  };
}

/** Vega's SVG says its own size; the report scales it to fit the page's width and a third of its height. */
function chartBox(svg: string, maxWidth: number) {
  const width = Number(/\bwidth="([\d.]+)"/.exec(svg)?.[1] ?? 400);
  const height = Number(/\bheight="([\d.]+)"/.exec(svg)?.[1] ?? 250);
  const scale = Math.min(1, maxWidth / width, 230 / height);
  return { width: width * scale, height: height * scale };
}

export async function overviewReportPdf(
  overview: InstitutionOverview,
  context: OverviewReportContext,
): Promise<Buffer> {
  const { query, period, choices, charts } = overview;
  const tables = overviewTables(overview.counts, overview.months);
  const title = `Institution overview, ${context.institutionName}`;
  const pdf = new TaggedPdf({
    title,
    language: context.language,
    author: context.institutionName,
    subject: `Programs, badges and learners from ${period.from} to ${period.to}`,
  });
  pdf.heading(1, title);
  const department = choices.departments.find((d) => d.code === query.department)?.name ?? 'Every department';
  const credit = query.creditType ? creditTypeLabels[query.creditType] : 'Credit and non-credit';
  pdf.paragraph(
    `Badges and enrolments from ${formatDay(period.from)} to ${formatDay(period.to)}${period.term ? ` (${period.term})` : ''}; ` +
      `programs as they stand on ${formatDay(context.madeOn)}. Department: ${department}. Credit: ${credit}.`,
  );

  const section = (
    heading: string,
    chart: keyof typeof chartWords | null,
    ...parts: InsightTable<string>[]
  ) => {
    const svg = chart ? charts[chart] : null;
    const box = svg ? chartBox(svg, pdf.width) : null;
    // A heading stays with its chart (or its first rows) rather than alone at the foot of a page.
    pdf.keepTogether((box?.height ?? 60) + 40);
    pdf.heading(2, heading);
    if (chart && svg && box) pdf.svgFigure(svg, chartWords[chart], box);
    for (const table of parts) pdf.table(asPdfTable(table));
  };
  section('Programs', 'states', tables.states, tables.departments);
  section('Badges issued', 'months', tables.months, tables.badges);
  section('Learners', 'paths', tables.paths);
  pdf.heading(2, 'Pilots approaching their decision');
  if (tables.decisions.rows.length === 0) pdf.paragraph('No pilot decision is due within 90 days.');
  else pdf.table(asPdfTable(tables.decisions));
  return pdf.finish();
}
