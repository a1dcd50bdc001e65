import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { batchFileName, sendCsv } from '../platform/http/csv-download.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { billingRoles } from './billing.policy.ts';
import type { LedgerFilter } from './billing.repository.ts';
import type { BillingService } from './billing.service.ts';
import { ChargePage, LedgerPage } from './billing.views.tsx';
import { LearnerFeesPage } from './learner-fees.views.tsx';

interface Deps {
  billing: BillingService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** A filter field left empty in the form arrives as ''; it means "any". */
const OrEmpty = (...values: string[]) =>
  Type.Optional(Type.Union([...values, ''].map((v) => Type.Literal(v))));
const DayOrEmpty = Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' }));

/** The fee ledger, single charges and their waivers, and the bursar's exports. */
export function registerBillingRoutes(app: HttpServer, { billing, pageContext }: Deps): void {
  app.get(
    '/billing',
    {
      config: { access: billingRoles.open_ledger },
      schema: {
        hide: true,
        querystring: Type.Object({
          status: OrEmpty('posted', 'waived', 'reversed'),
          exported: OrEmpty('yes', 'no'),
          program: Type.Optional(Type.String({ maxLength: 200 })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          from: DayOrEmpty,
          to: DayOrEmpty,
        }),
      },
    },
    async (request, reply) => {
      const query = request.query;
      const filter: LedgerFilter = {
        status: (query.status || undefined) as LedgerFilter['status'],
        exported: (query.exported || undefined) as LedgerFilter['exported'],
        program: query.program?.trim() || undefined,
        q: query.q?.trim() || undefined,
        from: query.from || undefined,
        to: query.to || undefined,
      };
      return sendPage(reply, LedgerPage, {
        ctx: await pageContext(request),
        ledger: await billing.ledger(filter),
        filter,
      });
    },
  );

  // The learner's own fees: no learner is named in the address, so nobody can ask for someone else's.
  app.get(
    '/billing/my-account',
    { config: { access: billingRoles.see_own_fees }, schema: { hide: true } },
    async (request, reply) =>
      sendPage(reply, LearnerFeesPage, {
        ctx: await pageContext(request),
        fees: await billing.learnerFees(request.actor!),
      }),
  );

  app.get(
    '/billing/charges/:id',
    {
      config: { access: billingRoles.open_charge },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ waived: Type.Optional(Type.Literal('1')) }),
      },
    },
    async (request, reply) => {
      const view = await billing.viewCharge(request.actor!, request.params.id);
      const notice = request.query.waived ? `The fee is now ${view.charge.status}.` : undefined;
      return sendPage(reply, ChargePage, { ctx: await pageContext(request), ...view, notice });
    },
  );

  app.post(
    '/billing/charges/:id/waive',
    {
      config: { access: billingRoles.waive },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }), ...Csrf }),
      },
    },
    async (request, reply) => {
      try {
        await billing.waiveCharge(request.actor!, request.params.id, request.body.reason);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        const view = await billing.viewCharge(request.actor!, request.params.id);
        return sendPage(
          reply,
          ChargePage,
          { ctx: await pageContext(request), ...view, errors: error.fields, reason: request.body.reason },
          400,
        );
      }
      return reply.redirect(`/billing/charges/${request.params.id}?waived=1`, 303);
    },
  );

  // A POST, because the export marks charges as sent: a prefetch must never do that.
  app.post(
    '/billing/exports/bursar.csv',
    { config: { access: billingRoles.export }, schema: { hide: true, body: Type.Object({ ...Csrf }) } },
    async (request, reply) => {
      const result = await billing.exportForBursar(request.actor!);
      return sendCsv(reply, batchFileName('bursar-export', new Date(), result.batchId), result.csv);
    },
  );

  app.get(
    '/billing/exports/bursar.csv',
    { config: { access: billingRoles.open_ledger }, schema: { hide: true } },
    async (_request, reply) => reply.redirect('/billing', 303),
  );

  app.get(
    '/billing/exports/bursar/:file',
    {
      config: { access: billingRoles.open_ledger },
      schema: {
        hide: true,
        params: Type.Object({ file: Type.String({ pattern: '^[0-9a-f-]{36}\\.csv$' }) }),
      },
    },
    async (request, reply) => {
      const batchId = request.params.file.slice(0, 36);
      const { csv, createdAt } = await billing.bursarExportCsv(batchId);
      return sendCsv(reply, batchFileName('bursar-export', createdAt, batchId), csv);
    },
  );
}
