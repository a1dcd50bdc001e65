import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { decimalAmount } from '../platform/money.ts';
import { registerApprovalChainRoutes } from './approval-chains.routes.ts';
import { registerConsultationRoutes } from './consultations.routes.ts';
import { registerFullProposalRoutes } from './full-proposal.routes.ts';
import { InboxPage } from './inbox.views.tsx';
import { modificationEvents } from './lifecycle.ts';
import { readMultipartForm } from './multipart-form.ts';
import { type FormValues, formValuesOf } from './program-form.ts';
import { ProgramFormPage } from './program-form.views.tsx';
import { registerReviewRoutes } from './program-reviews.routes.ts';
import type { ProgramRouteDeps } from './program-route-deps.ts';
import { proposalFieldsOf } from './program-state.ts';
import { programEvents, programStates } from './program-vocabulary.ts';
import { programsRoles } from './programs.policy.ts';
import { ProgramPage, ProgramsListPage } from './programs.views.tsx';
import { registerRetirementRoutes } from './retirement.routes.ts';

const Id = Type.String({ format: 'uuid' });
const Csrf = { _csrf: Type.Optional(Type.String()) };

/** Messages shown after a redirect, keyed by the `done` query parameter. */
const notices: Record<string, string> = {
  drafted: 'The draft proposal is saved. Name its signers, then ask them to sign.',
  saved: 'Your changes are saved.',
  unchanged: 'Nothing had changed, so no new version was made.',
  versioned: 'Saved as a new version of the program.',
  wording_published: 'The wording fix is published as a new version; the program lead has been told.',
  change_proposed:
    'Saved as a proposed change. The approved version stays public until the change is submitted and approved.',
  change_submit: 'The proposed change is submitted for approval.',
  change_approve_step: 'Your approval of the change is recorded.',
  change_return: 'The change was returned to its author with your comment.',
  change_withdraw: 'The proposed change is withdrawn.',
  signer_added: 'The signer is named. They are asked to sign when you request signatures.',
  signer_removed: 'The signer was removed.',
  note: 'The consultation note is saved.',
  consultee_added:
    'The consultee is named. Record their response here once you have it, or they record it themselves.',
  consultee_removed: 'The consultee was removed.',
  consultation_recorded: 'The response is recorded.',
  sign: 'You signed the proposal.',
  request_signatures: 'The signers have been asked to sign.',
  signature_declined: 'You declined to sign; the program lead has been told why.',
  submit: 'The proposal is submitted for pilot approval.',
  request_changes: 'The program lead has been asked for changes.',
  revise: 'The proposal is a draft again; edit it and request signatures once more.',
  approve_pilot: 'The decision is recorded.',
  submit_full_proposal: 'The full proposal is submitted for review.',
  approve_step: 'Your step is approved and recorded.',
  reject: 'The full proposal was returned; the program continues as a pilot.',
  retire:
    'The program is retired. The lead, the credentials office and the learners in progress have been told.',
  reinstate: 'The program is reinstated and offered again; everyone told of the retirement has been told.',
};

/** True for the errors a person can fix by changing what they sent or did (shown on the page, not as a crash). */
const isUserProblem = (error: unknown): error is AppError =>
  error instanceof AppError &&
  (error.code === 'VALIDATION_FAILED' || error.code === 'INVALID_STATE' || error.code === 'CONFLICT');

/**
 * Staff pages of the programs module: proposals, the program page, the inbox, edits, pilot reviews and the
 * administrators' approval chains.
 */
export function registerProgramRoutes(app: HttpServer, deps: ProgramRouteDeps): void {
  app.register(async (plugin: FastifyInstance) => {
    // Multipart is needed only by the proposal forms; their files' limits are set where they are read.
    await acceptMultipart(plugin, { throwFileSizeLimit: false });
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    registerPages(scope as unknown as HttpServer, deps);
    registerReviewRoutes(scope as unknown as HttpServer, deps);
    registerRetirementRoutes(scope as unknown as HttpServer, deps);
    registerFullProposalRoutes(scope as unknown as HttpServer, deps);
    registerApprovalChainRoutes(scope as unknown as HttpServer, {
      chains: deps.programs.chains,
      pageContext: deps.pageContext,
    });
  });
}

function registerPages(
  app: HttpServer,
  { programs, pilotReviews, periodicReviews, pageContext, maySeeInsight }: ProgramRouteDeps,
): void {
  const showProgram = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { notice?: string; problem?: AppError; comment?: string } = {},
  ) => {
    const actor = request.actor!;
    const [page, pilot, periodic, change] = await Promise.all([
      programs.pages.programPage(actor, id),
      pilotReviews.pilotSummary(id),
      periodicReviews.summary(id),
      programs.modifications.view(actor, id),
    ]);
    const fullProposal = await programs.fullProposals.forProgramPage(
      actor,
      page.program,
      page.chains.full.chain,
    );
    const problem = extra.problem
      ? { message: extra.problem.publicMessage, fields: extra.problem.fields }
      : undefined;
    return sendPage(
      reply,
      ProgramPage,
      {
        ctx: await pageContext(request),
        page,
        pilot,
        periodic,
        courseTitles: page.courseTitles,
        notice: extra.notice,
        problem,
        comment: extra.comment,
        change,
        fullProposal,
        showsInsight: maySeeInsight?.(actor, { leadUserId: page.program.lead_user_id }) ?? false,
      },
      extra.problem ? extra.problem.status : 200,
    );
  };

  app.get(
    '/programs',
    {
      config: { access: programsRoles.open_programs },
      schema: {
        hide: true,
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal(''), ...programStates.map((s) => Type.Literal(s))])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      const status = request.query.status || undefined;
      const page = await programs.pages.listPage(actor, { status, page: request.query.page ?? 1 });
      return sendPage(reply, ProgramsListPage, { ctx: await pageContext(request), ...page, status });
    },
  );

  app.get(
    '/programs/new',
    { config: { access: programsRoles.draft_proposal }, schema: { hide: true } },
    async (request, reply) => {
      const refs = await programs.drafting.formReferences();
      const values: FormValues = {
        fee: decimalAmount(refs.defaultFeeCents),
        min_grade: 'C-',
        level: 'undergraduate',
        credit_type: 'credit',
        enrolment_paths: ['new', 'non_degree', 'current', 'returning'],
      };
      return sendPage(reply, ProgramFormPage, {
        ctx: await pageContext(request),
        mode: 'new' as const,
        refs,
        values,
      });
    },
  );

  app.post(
    '/programs/new',
    {
      config: { access: programsRoles.draft_proposal },
      schema: { hide: true, querystring: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      const { values, files } = await readMultipartForm(request);
      try {
        const id = await programs.drafting.draftProposal(request.actor!, values, files);
        return reply.redirect(`/programs/${id}?done=drafted`, 303);
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        const refs = await programs.drafting.formReferences();
        const ctx = await pageContext(request);
        return sendPage(
          reply,
          ProgramFormPage,
          { ctx, mode: 'new' as const, refs, values, errors: error.fields, message: error.publicMessage },
          error.status,
        );
      }
    },
  );

  app.get(
    '/programs/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) =>
      showProgram(request, reply, request.params.id, {
        ...(request.query.done && notices[request.query.done] ? { notice: notices[request.query.done] } : {}),
      }),
  );

  app.post(
    '/programs/:id/actions',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          action: Type.Union([Type.Literal('sign'), ...programEvents.map((e) => Type.Literal(e))]),
          comment: Type.Optional(Type.String({ maxLength: 10_000 })),
          pilot_starts_on: Type.Optional(Type.String({ maxLength: 40 })),
          from: Type.Optional(Type.Literal('inbox')),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { action, comment, from } = request.body;
      try {
        await programs.review.applyAction(request.actor!, id, action, comment, {
          pilotStartsOn: request.body.pilot_starts_on?.trim(),
        });
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        if (from === 'inbox') {
          const inbox = await programs.pages.inbox(request.actor!);
          const ctx = await pageContext(request);
          return sendPage(reply, InboxPage, { ctx, inbox, problem: error.publicMessage }, error.status);
        }
        return showProgram(request, reply, id, { problem: error, ...(comment ? { comment } : {}) });
      }
      return reply.redirect(
        from === 'inbox' ? `/inbox?done=${action}` : `/programs/${id}?done=${action}`,
        303,
      );
    },
  );

  app.get(
    '/programs/:id/edit',
    {
      config: { access: programsRoles.edit_program },
      schema: { hide: true, params: Type.Object({ id: Id }) },
    },
    async (request, reply) => {
      const form = await programs.drafting.editForm(request.actor!, request.params.id);
      const refs = await programs.drafting.formReferences();
      const isDraft = form.mode === 'draft' && form.proposal;
      const values = formValuesOf(
        form.fields,
        isDraft ? proposalFieldsOf(form.proposal!) : undefined,
        isDraft ? form.proposal!.missing_fields : [],
      );
      return sendPage(reply, ProgramFormPage, {
        ctx: await pageContext(request),
        mode: form.mode,
        refs,
        values,
        programId: form.program.id,
        version: form.program.version,
        existingFiles: form.files,
      });
    },
  );

  app.post(
    '/programs/:id/edit',
    {
      config: { access: programsRoles.edit_program },
      schema: { hide: true, params: Type.Object({ id: Id }), querystring: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { values, files } = await readMultipartForm(request);
      const expectedVersion = Number(values.version);
      try {
        const result = await programs.drafting.editProgram(request.actor!, id, values, files, {
          expectedVersion,
          changeNote: typeof values.change_note === 'string' ? values.change_note : '',
        });
        const done =
          result.mode === 'draft'
            ? 'saved'
            : result.outcome === 'published'
              ? 'wording_published'
              : result.outcome === 'proposed'
                ? 'change_proposed'
                : 'unchanged';
        return reply.redirect(`/programs/${id}?done=${done}`, 303);
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        const form = await programs.drafting.editForm(request.actor!, id);
        const refs = await programs.drafting.formReferences();
        return sendPage(
          reply,
          ProgramFormPage,
          {
            ctx: await pageContext(request),
            mode: form.mode,
            refs,
            values,
            errors: error.fields,
            message: error.publicMessage,
            programId: id,
            version: Number.isFinite(expectedVersion) ? expectedVersion : form.program.version,
            existingFiles: form.files,
          },
          error.status,
        );
      }
    },
  );

  app.post(
    '/programs/:id/change',
    {
      config: { access: programsRoles.open_programs },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          action: Type.Union(modificationEvents.map((e) => Type.Literal(e))),
          comment: Type.Optional(Type.String({ maxLength: 10_000 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { action, comment } = request.body;
      try {
        await programs.modifications.apply(request.actor!, id, action, comment);
      } catch (error) {
        if (!isUserProblem(error) && !(error instanceof AppError && error.code === 'FORBIDDEN')) throw error;
        return showProgram(request, reply, id, { problem: error });
      }
      return reply.redirect(`/programs/${id}?done=change_${action}`, 303);
    },
  );

  app.post(
    '/programs/:id/signers',
    {
      config: { access: programsRoles.manage_signers },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          signer_email: Type.String({ maxLength: 320 }),
          role_label: Type.String({ maxLength: 500 }),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await programs.signatures.addSigner(request.actor!, id, {
          email: request.body.signer_email,
          roleLabel: request.body.role_label,
        });
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        return showProgram(request, reply, id, { problem: error });
      }
      return reply.redirect(`/programs/${id}?done=signer_added`, 303);
    },
  );

  app.post(
    '/programs/:id/signers/:signerId/remove',
    {
      config: { access: programsRoles.manage_signers },
      schema: { hide: true, params: Type.Object({ id: Id, signerId: Id }), body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      const { id, signerId } = request.params;
      try {
        await programs.signatures.removeSigner(request.actor!, id, signerId);
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        return showProgram(request, reply, id, { problem: error });
      }
      return reply.redirect(`/programs/${id}?done=signer_removed`, 303);
    },
  );

  app.post(
    '/programs/:id/notes',
    {
      config: { access: programsRoles.add_consultation_note },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({ note: Type.String({ maxLength: 20_000 }), ...Csrf }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await programs.review.addConsultationNote(request.actor!, id, request.body.note);
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        return showProgram(request, reply, id, { problem: error });
      }
      return reply.redirect(`/programs/${id}?done=note`, 303);
    },
  );

  registerConsultationRoutes(app, programs, showProgram);

  app.get(
    '/programs/:id/files/:fileId',
    { config: { access: 'signed-in' }, schema: { hide: true, params: Type.Object({ id: Id, fileId: Id }) } },
    async (request, reply) => {
      const file = await programs.pages.downloadFile(
        request.actor!,
        request.params.id,
        request.params.fileId,
      );
      const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .header('cache-control', 'private, no-store')
        .type(file.content_type)
        .send(Buffer.from(file.content));
    },
  );

  app.get(
    '/inbox',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const inbox = await programs.pages.inbox(request.actor!);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, InboxPage, { ctx: await pageContext(request), inbox, notice });
    },
  );
}
