import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { toCsv } from '../platform/csv.ts';
import { cellText } from '../platform/figure-tables.ts';
import { sendCsv } from '../platform/http/csv-download.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPdf } from '../platform/http/pdf-download.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { decimalAmount } from '../platform/money.ts';
import type { CreditType } from '../programs/program-vocabulary.ts';
import { insightRoles } from './insight.policy.ts';
import type { InsightService } from './insight.service.ts';
import { ProgramInsightPage } from './insight.views.tsx';
import { type InsightTableKey, insightTableKeys, insightTables } from './insight-tables.ts';
import { OverviewPage } from './overview.views.tsx';
import { type OverviewTableKey, overviewTableKeys, overviewTables } from './overview-figures.ts';

interface Deps {
  insight: InsightService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

// Staff pages address programs by id; the slug works too, as the catalog names them.
const ProgramParam = Type.String({ minLength: 1, maxLength: 120, pattern: '^[a-z0-9-]+$' });
const tableFile = `^(${insightTableKeys.join('|')})\\.csv$`;
const overviewFile = `^(${overviewTableKeys.join('|')})\\.csv$`;
const OverviewQuery = Type.Object({
  department: Type.Optional(Type.String({ maxLength: 40 })),
  term: Type.Optional(Type.String({ maxLength: 40 })),
  creditType: Type.Optional(
    Type.Union([
      Type.Literal(''),
      Type.Literal('credit'),
      Type.Literal('non_credit'),
      Type.Literal('hybrid'),
    ]),
  ),
});
/** Empty choices in the filter form ("every department") mean no filter. */
const overviewQuery = (q: { department?: string; term?: string; creditType?: '' | CreditType }) => ({
  ...(q.department ? { department: q.department } : {}),
  ...(q.term ? { term: q.term } : {}),
  ...(q.creditType ? { creditType: q.creditType } : {}),
});

export function registerInsightRoutes(app: HttpServer, { insight, pageContext }: Deps): void {
  app.get(
    '/programs/:id/insight',
    {
      config: { access: insightRoles.view_program_insight },
      schema: { hide: true, params: Type.Object({ id: ProgramParam }) },
    },
    async (request, reply) => {
      const found = await insight.programInsight(request.actor!, request.params.id);
      return sendPage(reply, ProgramInsightPage, { ctx: await pageContext(request), insight: found });
    },
  );

  app.get(
    '/programs/:id/insight/:file',
    {
      config: { access: insightRoles.view_program_insight },
      schema: {
        hide: true,
        params: Type.Object({ id: ProgramParam, file: Type.String({ pattern: tableFile }) }),
      },
    },
    async (request, reply) => {
      const { program, figures } = await insight.programFigures(request.actor!, request.params.id);
      const key = request.params.file.replace(/\.csv$/, '') as InsightTableKey;
      const table = insightTables(figures)[key];
      const rows = table.rows.map((row) => row.map((cell) => cellText(cell, decimalAmount)));
      return sendCsv(reply, `${program.slug}-${key}.csv`, toCsv([table.headers, ...rows]));
    },
  );

  app.get(
    '/insight',
    {
      config: { access: insightRoles.view_overview },
      schema: { hide: true, querystring: OverviewQuery },
    },
    async (request, reply) => {
      const overview = await insight.institutionOverview(request.actor!, overviewQuery(request.query));
      return sendPage(reply, OverviewPage, { ctx: await pageContext(request), overview });
    },
  );

  app.get(
    '/insight/report.pdf',
    {
      config: { access: insightRoles.view_overview },
      schema: { hide: true, querystring: OverviewQuery },
    },
    async (request, reply) => {
      const { pdf, period } = await insight.overviewReport(request.actor!, overviewQuery(request.query));
      return sendPdf(reply, `overview-${period.from}-${period.to}.pdf`, pdf);
    },
  );

  app.get(
    '/insight/:file',
    {
      config: { access: insightRoles.view_overview },
      schema: {
        hide: true,
        params: Type.Object({ file: Type.String({ pattern: overviewFile }) }),
        querystring: OverviewQuery,
      },
    },
    async (request, reply) => {
      const key = request.params.file.replace(/\.csv$/, '') as OverviewTableKey;
      const overview = await insight.overviewFigures(request.actor!, overviewQuery(request.query), key);
      const table = overviewTables(overview.counts, overview.months)[key];
      const rows = table.rows.map((row) => row.map((cell) => cellText(cell, decimalAmount)));
      return sendCsv(
        reply,
        `overview-${key}-${overview.period.from}-${overview.period.to}.csv`,
        toCsv([table.headers, ...rows]),
      );
    },
  );
}
