import { Chart } from '../platform/http/figure-table.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { creditTypeLabels } from '../programs/program-vocabulary.ts';
import { FigureTable } from './insight.views.tsx';
import type { InstitutionOverview } from './overview-figures.ts';
import { overviewTables } from './overview-figures.ts';

/** The query string of the current filters, so each CSV export counts exactly what the page shows. */
function filterQuery(query: InstitutionOverview['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** How the institution's programs are doing as a whole, for administrators, approvers and the credentials office. */
export function OverviewPage({ ctx, overview }: { ctx: PageContext; overview: InstitutionOverview }) {
  const { query, period, choices, charts } = overview;
  const tables = overviewTables(overview.counts, overview.months);
  const suffix = filterQuery(query);
  const base = '/insight';
  return (
    <Layout ctx={ctx} title="Institution overview">
      <h1>Institution overview</h1>
      <form method="get" action="/insight" class="filters" aria-label="Filter the overview">
        <div>
          <label for="department">Department</label>
          <select id="department" name="department">
            <option value="">Every department</option>
            {choices.departments.map((d) => (
              <option key={d.code} value={d.code} selected={d.code === query.department}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="term">Term</label>
          <select id="term" name="term">
            <option value="">Last twelve months</option>
            {choices.terms.map((t) => (
              <option key={t.code} value={t.code} selected={t.code === query.term}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="creditType">Credit</label>
          <select id="creditType" name="creditType">
            <option value="">Credit and non-credit</option>
            {Object.entries(creditTypeLabels).map(([value, label]) => (
              <option key={value} value={value} selected={value === query.creditType}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary">
          Show
        </button>
      </form>
      <p>
        Badges and enrolments from{' '}
        <time class="nowrap" datetime={period.from}>
          {formatDay(period.from)}
        </time>{' '}
        to{' '}
        <time class="nowrap" datetime={period.to}>
          {formatDay(period.to)}
        </time>
        {period.term ? ` (${period.term})` : ''}; programs as they stand today.
      </p>
      <p>
        <a href={`${base}/report.pdf${suffix}`}>Download this overview as a PDF report</a>{' '}
        <span class="muted">(the same figures and charts, for printing or sending on)</span>
      </p>
      <section aria-labelledby="programs-heading" class="insight-section">
        <h2 id="programs-heading">Programs</h2>
        <div class="insight-pair">
          <Chart svg={charts.states} fallback="No programs match these filters." />
          <FigureTable table={tables.states} base={base} suffix={suffix} />
        </div>
        <FigureTable table={tables.departments} base={base} suffix={suffix} />
      </section>
      <section aria-labelledby="badges-heading" class="insight-section">
        <h2 id="badges-heading">Badges issued</h2>
        <div class="insight-pair">
          <Chart svg={charts.months} fallback="No badges were issued in this period." />
          <FigureTable table={tables.months} base={base} suffix={suffix} />
        </div>
        <FigureTable table={tables.badges} base={base} suffix={suffix} />
      </section>
      <section aria-labelledby="paths-heading" class="insight-section">
        <h2 id="paths-heading">Learners</h2>
        <div class="insight-pair">
          <Chart svg={charts.paths} fallback="Nobody enrolled in this period." />
          <FigureTable table={tables.paths} base={base} suffix={suffix} />
        </div>
      </section>
      <section aria-labelledby="decisions-heading" class="insight-section">
        <h2 id="decisions-heading">Pilots approaching their decision</h2>
        {tables.decisions.rows.length === 0 ? (
          <p class="muted">No pilot decision is due within 90 days.</p>
        ) : (
          <FigureTable table={tables.decisions} base={base} suffix={suffix} />
        )}
      </section>
    </Layout>
  );
}
