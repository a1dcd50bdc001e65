import { Chart, FigureTableView } from '../platform/http/figure-table.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { programStateLabels } from '../programs/program-vocabulary.ts';
import type { ProgramInsight } from './insight.service.ts';
import { type InsightTable, insightTables } from './insight-tables.ts';

/** A table of the insight pages, with the link to the same cells as a CSV file. */
export function FigureTable({
  table,
  base,
  suffix = '',
}: {
  table: InsightTable<string>;
  base: string;
  /** The page's filters, carried into the export's address. */
  suffix?: string;
}) {
  return (
    <FigureTableView table={table}>
      <p class="muted">
        <a href={`${base}/${table.key}.csv${suffix}`}>Download “{table.caption}” as CSV</a>
      </p>
    </FigureTableView>
  );
}

/** How one program is doing: charts with their tables beside them, and each table as a CSV file. */
export function ProgramInsightPage({ ctx, insight }: { ctx: PageContext; insight: ProgramInsight }) {
  const { program, figures, charts } = insight;
  const tables = insightTables(figures);
  const base = `/programs/${program.id}/insight`;
  return (
    <Layout ctx={ctx} title={`How ${program.title} is doing`}>
      <p class="breadcrumbs">
        <a href={`/programs/${program.id}`}>{program.title}</a>
      </p>
      <h1>How {program.title} is doing</h1>
      <p>
        {programStateLabels[program.status]}. Figures count every learner enrolled in this program and every
        badge issued for it, today.
      </p>
      <section aria-labelledby="terms-heading" class="insight-section">
        <h2 id="terms-heading">Enrolments and completions</h2>
        <div class="insight-pair">
          <Chart svg={charts.byTerm} fallback="Nobody has enrolled or completed yet." />
          <FigureTable table={tables.terms} base={base} />
        </div>
        <FigureTable table={tables.outcomes} base={base} />
      </section>
      <section aria-labelledby="needs-heading" class="insight-section">
        <h2 id="needs-heading">Where learners stall</h2>
        <div class="insight-pair">
          <FigureTable table={tables.progress} base={base} />
          <Chart svg={charts.needs} fallback="Nobody working toward the badge is missing anything." />
        </div>
        {tables.needs.rows.length > 0 ? <FigureTable table={tables.needs} base={base} /> : null}
      </section>
      <section aria-labelledby="paths-heading" class="insight-section">
        <h2 id="paths-heading">Who the learners are</h2>
        <div class="insight-pair">
          <Chart svg={charts.paths} fallback="Nobody has enrolled yet." />
          <FigureTable table={tables.paths} base={base} />
        </div>
      </section>
      <section aria-labelledby="badges-heading" class="insight-section">
        <h2 id="badges-heading">Badges and fees</h2>
        <div class="insight-pair">
          <FigureTable table={tables.badges} base={base} />
          <FigureTable table={tables.fees} base={base} />
        </div>
      </section>
    </Layout>
  );
}
