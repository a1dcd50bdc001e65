import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { toCsv } from '../platform/csv.ts';
import { sendCsv } from '../platform/http/csv-download.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { decimalAmount } from '../platform/money.ts';
import { insightRoles } from './insight.policy.ts';
import type { InsightService } from './insight.service.ts';
import { ProgramInsightPage } from './insight.views.tsx';
import { cellText } from './insight-cells.ts';
import { type InsightTableKey, insightTableKeys, insightTables } from './insight-tables.ts';

interface Deps {
  insight: InsightService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

// Staff pages address programs by id; the slug works too, as the catalog names them.
const ProgramParam = Type.String({ minLength: 1, maxLength: 120, pattern: '^[a-z0-9-]+$' });
const tableFile = `^(${insightTableKeys.join('|')})\\.csv$`;

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
}
