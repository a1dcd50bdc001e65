import { readFileSync } from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { batchFileName, sendCsv } from '../platform/http/csv-download.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { countOf } from '../platform/words.ts';
import { CommitConfirmPage } from './commit-confirm.views.tsx';
import { IssueConfirmPage } from './issue-confirm.views.tsx';
import { issuingRoles } from './issuing.policy.ts';
import type { IssuingService } from './issuing.service.ts';
import type { TrackingRowStatus } from './issuing.tables.ts';
import { IssuingQueuePage, RegistrarExportsPage } from './issuing.views.tsx';
import { rowStatusLabels } from './issuing-parts.tsx';
import { officeLabels } from './offices.ts';
import { trackingListTemplate } from './tracking-list-file.ts';
import { MAX_LIST_BYTES, refuseList, type TrackingListsService } from './tracking-lists.service.ts';
import {
  isBeingIssued,
  listProgress,
  progressSentence,
  statusWords,
  TrackingListPage,
  TrackingListsPage,
} from './tracking-lists.views.tsx';

const progressScript = readFileSync(new URL('./list-progress.js', import.meta.url), 'utf8');

interface Deps {
  issuing: IssuingService;
  trackingLists: TrackingListsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const OfficeQuery = Type.Object({
  office: Type.Optional(Type.Union([Type.Literal('registrar'), Type.Literal('credentials_office')])),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const RowStatus = Type.Union(
  ['ready', 'not_eligible', 'error', 'issued', 'skipped', 'failed'].map((s) => Type.Literal(s)),
);

const isFileRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'PAYLOAD_TOO_LARGE');

/** What a list's columns are called, for the learner records' refusal of a row's values. */
const rowColumns: Readonly<Record<string, string>> = {
  studentId: 'student_id',
  givenName: 'first_name',
  familyName: 'last_name',
  email: 'email',
};

/** The learner records' refusal of a row's values, by the list's column names: "email is already on …". */
const recordProblems = (error: AppError): string =>
  error.fields.map((f) => `${rowColumns[f.field] ?? f.field} ${f.reason}`).join('; ') || error.publicMessage;

/** After a learner record was made from a row: what became of the row, judged again. */
function recordMadeNotice(
  view: { rows: readonly { line: number; status: TrackingRowStatus; reason: string | null }[] },
  line?: number,
) {
  const row = view.rows.find((r) => r.line === line);
  if (!row) return 'The learner record was created, and the rows of that student were checked again.';
  const verdict = `${rowStatusLabels[row.status]}.${row.reason ? ` ${row.reason}` : ''}`;
  return `The learner record of line ${row.line} was created, and the row was checked again: ${verdict}`;
}

/** What checking a list's not-eligible rows again found, said at the top of the list's page. */
function recheckedNotice(checked: number, ready: number) {
  if (checked === 0) return 'No row was waiting to be checked again.';
  const found =
    ready === 0 ? 'none is ready yet' : `${countOf(ready, 'row')} ${ready === 1 ? 'is' : 'are'} ready now`;
  return `${countOf(checked, 'not-eligible row')} checked again: ${found}.`;
}

/**
 * The uploaded file as it arrives, never whole. Past the size limit the multipart parser stops the file short
 * (`truncated`) rather than failing it, possibly before a listener could hear its 'limit' event; so the end of the
 * stream says whether it was whole, and a cut one is refused before anything of it is judged or stored.
 */
async function* untruncated(file: AsyncIterable<Buffer> & { truncated: boolean }) {
  yield* file;
  if (file.truncated) {
    throw refuseList(`it is larger than ${MAX_LIST_BYTES / 1024 / 1024} MB`, 'PAYLOAD_TOO_LARGE');
  }
}

/** The issuing queue, tracking lists and registrar exports, in a scope that alone accepts multipart uploads. */
export function registerIssuingRoutes(app: HttpServer, deps: Deps): void {
  app.register(async (plain: FastifyInstance) => {
    await acceptMultipart(plain, { limits: { fileSize: MAX_LIST_BYTES, files: 1, fields: 2 } });
    registerRoutes(plain.withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpServer, deps);
  });
}

function registerRoutes(app: HttpServer, { issuing, trackingLists, pageContext }: Deps): void {
  app.get(
    '/issuing',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        querystring: Type.Object({
          ...OfficeQuery.properties,
          issued: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const queue = await issuing.queue(request.actor!, request.query.office);
      return sendPage(reply, IssuingQueuePage, {
        ctx: await pageContext(request),
        queue,
        issuedCount: request.query.issued,
      });
    },
  );

  const Chosen = {
    office: Type.String({ maxLength: 40 }),
    requestIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
    one: Type.Optional(Type.String({ maxLength: 64 })),
  };
  const chosenOf = (input: { one?: string; requestIds?: string[] }) =>
    input.one ? [input.one] : (input.requestIds ?? []);
  const nothingChosen = async (request: FastifyRequest, reply: FastifyReply, office: string) => {
    const queue = await issuing.queue(request.actor!, office);
    const problem = 'Choose at least one request to issue: tick its box, or use the Issue button on its row.';
    return sendPage(reply, IssuingQueuePage, { ctx: await pageContext(request), queue, problem }, 400);
  };

  // The queue's form asks here first (a GET: nothing is written); the summary's "Yes" posts to /issuing/issue.
  app.get(
    '/issuing/issue/confirm',
    { config: { access: issuingRoles.issue }, schema: { hide: true, querystring: Type.Object(Chosen) } },
    async (request, reply) => {
      const chosen = chosenOf(request.query);
      if (chosen.length === 0) return nothingChosen(request, reply, request.query.office);
      const confirmation = await issuing.issueConfirmation(request.actor!, request.query.office, chosen);
      return sendPage(reply, IssueConfirmPage, { ctx: await pageContext(request), confirmation });
    },
  );

  app.post(
    '/issuing/issue',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        body: Type.Object({
          ...Chosen,
          confirmation: Type.Optional(Type.String({ maxLength: 64 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { office, confirmation: token } = request.body;
      const chosen = chosenOf(request.body);
      const actor = request.actor!;
      if (chosen.length === 0) return nothingChosen(request, reply, office);
      const result = await issuing.issueConfirmed(actor, office, chosen, token);
      if (result.kind === 'confirm') {
        // 428: the POST lacked the confirmation it needs; 409: it confirmed a summary that no longer holds, or
        // nothing chosen can be issued any more.
        const status = result.problem === 'missing' && result.confirmation.items.length > 0 ? 428 : 409;
        const { confirmation, problem } = result;
        return sendPage(
          reply,
          IssueConfirmPage,
          { ctx: await pageContext(request), confirmation, problem },
          status,
        );
      }
      const { outcome } = result;
      if (outcome.refused.length === 0) {
        return reply.redirect(`/issuing?office=${office}&issued=${outcome.issued.length}`, 303);
      }
      const queue = await issuing.queue(actor, office);
      return sendPage(reply, IssuingQueuePage, { ctx: await pageContext(request), queue, outcome }, 409);
    },
  );

  // ---- tracking lists ----

  const listsPage = async (request: FastifyRequest, office: string | undefined, problem?: string) => ({
    ctx: await pageContext(request),
    ...(await trackingLists.listsPage(request.actor!, office)),
    problem,
  });

  app.get(
    '/issuing/tracking-lists',
    { config: { access: issuingRoles.prepare_list }, schema: { hide: true, querystring: OfficeQuery } },
    async (request, reply) =>
      sendPage(reply, TrackingListsPage, await listsPage(request, request.query.office)),
  );

  app.get(
    '/issuing/tracking-lists/template.csv',
    { config: { access: issuingRoles.prepare_list }, schema: { hide: true } },
    async (_request, reply) => sendCsv(reply, 'tracking-list-template.csv', trackingListTemplate()),
  );

  app.post(
    '/issuing/tracking-lists',
    {
      config: { access: issuingRoles.prepare_list },
      // The CSRF token travels in the form's action URL: the multipart body is read only in the handler.
      schema: { hide: true, querystring: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError('UNSUPPORTED_MEDIA', 'Send the list from the upload form (multipart/form-data).');
      }
      const part = await request.file();
      if (!part || part.filename === '') {
        part?.file.resume();
        return sendPage(
          reply,
          TrackingListsPage,
          await listsPage(request, undefined, 'Choose a CSV file to upload.'),
          400,
        );
      }
      let id: string;
      try {
        id = await trackingLists.uploadList(request.actor!, untruncated(part.file), part.filename);
      } catch (error) {
        if (!isFileRefusal(error)) throw error;
        return sendPage(
          reply,
          TrackingListsPage,
          await listsPage(request, undefined, error.publicMessage),
          error.status,
        );
      }
      return reply.redirect(`/issuing/tracking-lists/${id}`, 303);
    },
  );

  app.get(
    '/issuing/tracking-lists/:id',
    {
      config: { access: issuingRoles.prepare_list },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({
          status: Type.Optional(RowStatus),
          done: Type.Optional(
            Type.Union([
              Type.Literal('committed'),
              Type.Literal('discarded'),
              Type.Literal('submitted'),
              Type.Literal('learner-record'),
              Type.Literal('rechecked'),
            ]),
          ),
          line: Type.Optional(Type.Integer({ minimum: 1 })),
          checked: Type.Optional(Type.Integer({ minimum: 0 })),
          ready: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    async (request, reply) => {
      const filter = request.query.status as TrackingRowStatus | undefined;
      const view = await trackingLists.viewList(request.actor!, request.params.id, filter);
      const notice =
        request.query.done === 'learner-record'
          ? recordMadeNotice(view, request.query.line)
          : request.query.done === 'rechecked'
            ? recheckedNotice(request.query.checked ?? 0, request.query.ready ?? 0)
            : request.query.done === 'committed'
              ? view.list.status === 'done'
                ? 'The list is committed, and its badges are issued.'
                : 'The list is committed. Its badges are being issued in the background; you may leave this page.'
              : request.query.done === 'discarded'
                ? 'The list was discarded; nothing on it was issued.'
                : request.query.done === 'submitted'
                  ? `The list is submitted to the ${officeLabels[view.list.office].toLowerCase()}, which checks and issues it.`
                  : undefined;
      return sendPage(reply, TrackingListPage, { ctx: await pageContext(request), view, filter, notice });
    },
  );

  app.get(
    '/issuing/list-progress.js',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(progressScript),
  );

  app.get(
    '/issuing/tracking-lists/:id/progress.json',
    { config: { access: issuingRoles.prepare_list }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const list = await trackingLists.listFigures(request.actor!, request.params.id);
      return reply.header('cache-control', 'no-store').send({
        status: list.status,
        statusWords: statusWords(list),
        // A stalled list is not being worked: the page stops asking and says so (its notice needs a reload).
        isWorking: isBeingIssued(list),
        isStalled: list.isStalled,
        ...listProgress(list.counts),
        sentence: progressSentence(list),
      });
    },
  );

  app.get(
    '/issuing/tracking-lists/:id/confirm',
    { config: { access: issuingRoles.issue }, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      sendPage(reply, CommitConfirmPage, {
        ctx: await pageContext(request),
        view: await trackingLists.commitConfirmation(request.actor!, request.params.id),
      }),
  );

  app.post(
    '/issuing/tracking-lists/:id/commit',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({ confirmation: Type.Optional(Type.String({ maxLength: 64 })), ...Csrf }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const problem = await trackingLists.commitConfirmed(request.actor!, id, request.body.confirmation);
      if (problem) {
        // Nothing was committed: the confirmation page again, as it now stands (see the issue route's statuses).
        const view = await trackingLists.commitConfirmation(request.actor!, id);
        const ctx = await pageContext(request);
        return sendPage(reply, CommitConfirmPage, { ctx, view, problem }, problem === 'missing' ? 428 : 409);
      }
      return reply.redirect(`/issuing/tracking-lists/${id}?done=committed`, 303);
    },
  );

  app.post(
    '/issuing/tracking-lists/:id/submit',
    {
      config: { access: issuingRoles.prepare_list },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await trackingLists.submitList(request.actor!, request.params.id);
      return reply.redirect(`/issuing/tracking-lists/${request.params.id}?done=submitted`, 303);
    },
  );

  app.post(
    '/issuing/tracking-lists/:id/rows/:rowId/learner-record',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), rowId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ ...Csrf }),
      },
    },
    async (request, reply) => {
      const { id, rowId } = request.params;
      let line: number;
      try {
        ({ line } = await trackingLists.createLearnerFromRow(request.actor!, id, rowId));
      } catch (error) {
        // The row's values the learner records refuse (a student ID of the wrong form, an e-mail already on
        // another record): said on the list's page, beside the row it came from.
        if (!(error instanceof AppError) || error.code !== 'UNPROCESSABLE') throw error;
        const view = await trackingLists.viewList(request.actor!, id);
        const problem = `The learner record was not created: ${recordProblems(error)}. Correct the list and upload it again.`;
        return sendPage(reply, TrackingListPage, { ctx: await pageContext(request), view, problem }, 422);
      }
      return reply.redirect(`/issuing/tracking-lists/${id}?done=learner-record&line=${line}`, 303);
    },
  );

  app.post(
    '/issuing/tracking-lists/:id/discard',
    {
      config: { access: issuingRoles.prepare_list },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await trackingLists.discardList(request.actor!, request.params.id);
      return reply.redirect(`/issuing/tracking-lists/${request.params.id}?done=discarded`, 303);
    },
  );

  app.post(
    '/issuing/tracking-lists/:id/recheck',
    {
      config: { access: issuingRoles.prepare_list },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      const { checked, nowReady } = await trackingLists.recheckList(request.actor!, request.params.id);
      return reply.redirect(
        `/issuing/tracking-lists/${request.params.id}?done=rechecked&checked=${checked}&ready=${nowReady}`,
        303,
      );
    },
  );

  // ---- registrar exports ----

  app.get(
    '/issuing/exports',
    { config: { access: issuingRoles.export_for_registrar }, schema: { hide: true } },
    async (request, reply) =>
      sendPage(reply, RegistrarExportsPage, {
        ctx: await pageContext(request),
        exports: await issuing.registrarExports(),
      }),
  );

  // A POST, because the export marks rows as sent: a link preview or a prefetch must never do that.
  app.post(
    '/issuing/exports/registrar.csv',
    {
      config: { access: issuingRoles.export_for_registrar },
      schema: { hide: true, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      const result = await issuing.exportForRegistrar(request.actor!);
      return sendCsv(reply, batchFileName('registrar-export', new Date(), result.batchId), result.csv);
    },
  );

  app.get(
    '/issuing/exports/registrar.csv',
    { config: { access: issuingRoles.export_for_registrar }, schema: { hide: true } },
    async (_request, reply) => reply.redirect('/issuing/exports', 303),
  );

  app.get(
    '/issuing/exports/registrar/:file',
    {
      config: { access: issuingRoles.export_for_registrar },
      schema: {
        hide: true,
        params: Type.Object({ file: Type.String({ pattern: '^[0-9a-f-]{36}\\.csv$' }) }),
      },
    },
    async (request, reply) => {
      const batchId = request.params.file.slice(0, 36);
      const { csv, createdAt } = await issuing.registrarExportCsv(batchId);
      return sendCsv(reply, batchFileName('registrar-export', createdAt, batchId), csv);
    },
  );
}
