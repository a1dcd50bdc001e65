import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import { type BarChart, barChartSvg } from '../platform/charts.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, invalid, notFound } from '../platform/errors.ts';
import { calendarDateIn } from '../programs/pilot-calendar.ts';
import type { PilotReviewsService } from '../programs/pilot-reviews.service.ts';
import type { ProgramState } from '../programs/program-vocabulary.ts';
import type { ProgramFigureSheet } from '../programs/review-figures.ts';
import type { ProgressService } from '../progress/progress.service.ts';
import { mayDo, maySeeProgram } from './insight.policy.ts';
import type { InsightRepository, OverviewFilter } from './insight.repository.ts';
import type { InsightFiguresService, OverviewCount } from './insight-figures.service.ts';
import { type InsightTable, insightTableKeys, insightTables } from './insight-tables.ts';
import {
  type InstitutionOverview,
  monthsBetween,
  type OverviewCounts,
  type OverviewQuery,
  type OverviewTableKey,
  overviewTables,
} from './overview-figures.ts';
import { programCharts } from './program-charts.ts';
import { factsWithin, type Period, type ProgramFigures, programFigures } from './program-figures.ts';

export interface ProgramInsight {
  program: { id: string; slug: string; title: string; status: ProgramState; feeCents: number };
  figures: ProgramFigures;
  /** Server-drawn SVG charts; the page shows each beside a table of the same figures. */
  charts: { byTerm: string | null; needs: string | null; paths: string | null };
}

/** How a program is doing, for the people who run and judge it. Reads only; figures come from the pure core. */
export class InsightService {
  constructor(
    private readonly database: Database,
    private readonly institution: InstitutionService,
    private readonly progress: ProgressService,
    private readonly pilotReviews: PilotReviewsService,
    private readonly repository: InsightRepository,
    private readonly figures: InsightFiguresService,
    private readonly clock: Clock,
  ) {}

  /** The whole institution at a glance, for those who oversee every program; filtered by department, term, credit. */
  async institutionOverview(actor: Actor, query: OverviewQuery): Promise<InstitutionOverview> {
    const overview = await this.overviewFigures(actor, query);
    return { ...overview, charts: await this.#overviewCharts(overview) };
  }

  /** The overview, charts and all, as a tagged PDF report with the same filters and figures. */
  async overviewReport(
    actor: Actor,
    query: OverviewQuery,
  ): Promise<{ pdf: Buffer; period: InstitutionOverview['period'] }> {
    const overview = await this.institutionOverview(actor, query);
    const institution = await this.institution.get();
    const { timeZone } = this.institution.displayOf(institution);
    // Loaded when a report is first asked for, as certificates are (CertificatesService).
    const { overviewReportPdf } = await import('./overview-report.ts');
    const pdf = await overviewReportPdf(overview, {
      institutionName: institution.name,
      madeOn: calendarDateIn(this.clock.now(), timeZone),
      language: 'en',
    });
    return { pdf, period: overview.period };
  }

  /**
   * The overview's figures without its charts: what an export needs (drawing charts for a CSV is wasted work).
   * `only` names the one table an export writes: the other counts are then left empty rather than counted, since
   * at a university's volume each is a read of its own.
   */
  async overviewFigures(
    actor: Actor,
    query: OverviewQuery,
    only?: OverviewTableKey,
  ): Promise<Omit<InstitutionOverview, 'charts'>> {
    if (!mayDo(actor, 'view_overview')) throw forbidden();
    const db = this.database.db;
    const [institution, terms, departments] = await Promise.all([
      this.institution.get(),
      this.repository.terms(db),
      this.repository.departments(db),
    ]);
    const { timeZone } = this.institution.displayOf(institution);
    if (query.department && !departments.some((d) => d.code === query.department)) {
      throw invalid([{ field: 'department', reason: 'is not one of the institution’s departments' }]);
    }
    const term = query.term ? terms.find((t) => t.code === query.term) : undefined;
    if (query.term && !term)
      throw invalid([{ field: 'term', reason: 'is not one of the institution’s terms' }]);
    const today = calendarDateIn(this.clock.now(), timeZone);
    const period = term
      ? { from: term.starts_on, to: term.ends_on, term: term.name }
      : { from: `${monthsBack(today, 11)}-01`, to: today, term: null };
    const filter = { ...query, from: period.from, to: period.to };
    const wants = (...keys: OverviewTableKey[]) => only === undefined || keys.includes(only);
    const [programs, { badgesPerMonth, badges, paths }, decisions] = await Promise.all([
      wants('states', 'departments') ? this.repository.programCounts(db, filter) : [],
      this.#keptOrLiveCounts(filter, timeZone, (key) => wants(key)),
      wants('decisions') ? this.pilotReviews.decisionsDue(90) : { due: [], today: '' },
    ]);
    const counts: OverviewCounts = {
      programs,
      badgesPerMonth,
      badges,
      paths,
      decisionsDue: decisions.due.map((d) => ({
        title: d.title,
        dueOn: d.dueOn,
        days: d.days,
        overdue: d.dueOn < decisions.today,
      })),
    };
    const months = monthsBetween(period.from.slice(0, 7), period.to.slice(0, 7));
    return {
      query,
      period,
      choices: { departments, terms: terms.map((t) => ({ code: t.code, name: t.name })) },
      counts,
      months,
    };
  }

  /** Badges and enrolments from the kept counts; counted live only while those are being rebuilt elsewhere. */
  async #keptOrLiveCounts(filter: OverviewFilter, timeZone: string, wants: (key: OverviewCount) => boolean) {
    const kept = await this.figures.overviewCounts(filter, timeZone, wants);
    if (kept) return kept;
    const db = this.database.db;
    const [badgesPerMonth, badges, paths] = await Promise.all([
      wants('months') ? this.repository.badgesPerMonth(db, filter, timeZone) : [],
      wants('badges')
        ? this.repository.badgeCounts(db, filter, timeZone)
        : { issued: 0, claimed: 0, shared: 0, revoked: 0 },
      wants('paths') ? this.repository.enrolmentPaths(db, filter) : [],
    ]);
    return { badgesPerMonth, badges, paths };
  }

  async #overviewCharts({ counts, months, period }: Omit<InstitutionOverview, 'charts'>) {
    const tables = overviewTables(counts, months);
    const total = (rows: InsightTable<string>['rows']) =>
      rows.reduce((sum, row) => sum + (row[1]?.kind === 'count' ? row[1].value : 0), 0);
    const single = (table: InsightTable<string>, title: string, description: string, horizontal: boolean) =>
      table.rows.length === 0 || total(table.rows) === 0
        ? Promise.resolve(null)
        : barChartSvg({
            title,
            description,
            categories: table.rows.map((r) => (r[0]?.kind === 'text' ? r[0].value : '')),
            categoryTitle: table.headers[0]!,
            valueTitle: table.headers[1]!,
            series: [
              {
                name: table.headers[1]!,
                values: table.rows.map((r) => (r[1]?.kind === 'count' ? r[1].value : 0)),
              },
            ],
            horizontal,
          });
    const [statesChart, monthsChart, pathsChart] = await Promise.all([
      single(tables.states, 'Programs by state', `${total(tables.states.rows)} programs in all.`, true),
      single(
        tables.months,
        'Badges issued per month',
        `${total(tables.months.rows)} badges issued from ${period.from} to ${period.to}.`,
        false,
      ),
      single(
        tables.paths,
        'Learners enrolled by path',
        `${total(tables.paths.rows)} enrolments from ${period.from} to ${period.to}.`,
        true,
      ),
    ]);
    return { states: statesChart, months: monthsChart, paths: pathsChart };
  }

  /** A program's figures; refused to anyone who may not see this program's (another program's lead, say). */
  async programFigures(actor: Actor, slug: string): Promise<Omit<ProgramInsight, 'charts'>> {
    const program = await this.repository.findProgram(this.database.db, slug);
    if (!program) throw notFound('That program');
    if (!maySeeProgram(actor, { leadUserId: program.lead_user_id })) {
      throw forbidden(
        'Only the program’s lead, the credentials office, approvers and administrators see its figures.',
      );
    }
    return {
      program: {
        id: program.id,
        slug: program.slug,
        title: program.title,
        status: program.status,
        feeCents: program.fee_cents,
      },
      figures: (await this.#figures(program.id)).figures,
    };
  }

  /** The figures with their charts, for the insight page. */
  async programInsight(actor: Actor, slug: string): Promise<ProgramInsight> {
    const { program, figures } = await this.programFigures(actor, slug);
    const charts = programCharts(program.title, figures);
    const draw = (chart: BarChart | null) => (chart ? barChartSvg(chart) : Promise.resolve(null));
    const [byTerm, needs, paths] = await Promise.all([
      draw(charts.byTerm),
      draw(charts.needs),
      draw(charts.paths),
    ]);
    return { program, figures, charts: { byTerm, needs, paths } };
  }

  /**
   * A program's figures for one period, as tables and charts' data: what its reviews show and keep. The reviews
   * service has already decided who reads the review, so no actor is asked here.
   */
  async periodSheet(programId: string, period: Period): Promise<ProgramFigureSheet> {
    const program = await this.repository.findProgram(this.database.db, programId);
    if (!program) throw notFound('That program');
    const { figures, today } = await this.#figures(program.id, period);
    const charts = programCharts(program.title, figures);
    const tables = insightTables(figures);
    return {
      asOf: today,
      charts: [charts.byTerm, charts.paths, charts.needs].filter((c) => c !== null),
      tables: insightTableKeys.map((key) => tables[key]),
    };
  }

  /** The program's figures from its facts, all of them or those of one period. */
  async #figures(programId: string, period?: Period): Promise<{ figures: ProgramFigures; today: string }> {
    const db = this.database.db;
    const [institution, terms, enrolments, awards, progress] = await Promise.all([
      this.institution.get(),
      this.repository.terms(db),
      this.repository.enrolments(db, programId),
      this.repository.awards(db, programId),
      this.progress.programStates(programId),
    ]);
    const { timeZone } = this.institution.displayOf(institution);
    const facts = {
      academicYearStartMonth: institution.academic_year_start_month,
      terms: terms.map((t) => ({ code: t.code, name: t.name, startsOn: t.starts_on, endsOn: t.ends_on })),
      enrolments: enrolments.map((e) => ({
        learnerId: e.learner_id,
        path: e.path,
        enrolledOn: e.enrolled_on,
        status: e.status,
      })),
      progress: progress.map((l) => ({ learnerId: l.learnerId, state: l.status, missing: l.missing })),
      awards: awards.map((a) => ({
        learnerId: a.learner_id,
        creditMode: a.credit_mode,
        completedOn: a.completion_date ?? calendarDateIn(a.issued_at, timeZone),
        credentialStatus: a.credential_status,
        claimed: a.claimed_at !== null,
        shared: a.is_shared,
        fee:
          a.fee_status === null || a.fee_cents === null ? null : { status: a.fee_status, cents: a.fee_cents },
      })),
    };
    return {
      figures: programFigures(period ? factsWithin(facts, period) : facts),
      today: calendarDateIn(this.clock.now(), timeZone),
    };
  }
}

/** 'YYYY-MM' of the month `back` months before the day's month. */
function monthsBack(day: string, back: number): string {
  const index = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
