import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { ChainEdit } from './approval-chain-edits.ts';
import type { ApprovalChainsService } from './approval-chains.service.ts';
import { ApprovalChainPage, ApprovalChainsPage, type FailedForm } from './approval-chains.views.tsx';
import { programsRoles } from './programs.policy.ts';

const notices: Record<string, string> = {
  renamed: 'The chain’s name is saved.',
  step_added: 'The step is added.',
  step_changed: 'The step is saved.',
  step_moved: 'The step is moved.',
  step_removed: 'The step is removed.',
};
const doneOf: Record<ChainEdit['kind'], string> = {
  rename_chain: 'renamed',
  add_step: 'step_added',
  update_step: 'step_changed',
  move_step: 'step_moved',
  remove_step: 'step_removed',
};

const Key = Type.String({ minLength: 1, maxLength: 40 });
const StepKey = Type.String({ minLength: 1, maxLength: 80 });
// Lengths and roles are checked by the service, which says which field is wrong and why.
const Text = Type.String({ maxLength: 2000 });
const Csrf = { _csrf: Type.Optional(Type.String()) };
const admin = { access: programsRoles.change_approval_chains };

/** The administrators' screens for the approval chains: a list, and one page per chain with plain forms. */
export function registerApprovalChainRoutes(
  app: HttpServer,
  deps: { chains: ApprovalChainsService; pageContext: (request: FastifyRequest) => Promise<PageContext> },
): void {
  const { chains, pageContext } = deps;

  /** Saves one change and goes back to the chain, or shows the page again with the problem beside its form. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    edit: ChainEdit,
    failedForm: FailedForm['form'],
    values: Record<string, string>,
  ) => {
    try {
      await chains.editChain(request.actor!, key, edit);
    } catch (error) {
      const isUserProblem =
        error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'INVALID_STATE');
      if (!isUserProblem) throw error;
      const failed: FailedForm = {
        form: failedForm,
        values,
        errors: error.fields,
        message: error.publicMessage,
      };
      const detail = await chains.findChain(request.actor!, key);
      return sendPage(
        reply,
        ApprovalChainPage,
        { ctx: await pageContext(request), detail, failed },
        error.status,
      );
    }
    return reply.redirect(`/admin/approval-chains/${key}?done=${doneOf[edit.kind]}`, 303);
  };

  app.get('/admin/approval-chains', { config: admin, schema: { hide: true } }, async (request, reply) => {
    const list = await chains.listChains(request.actor!);
    return sendPage(reply, ApprovalChainsPage, { ctx: await pageContext(request), chains: list });
  });

  app.get(
    '/admin/approval-chains/:key',
    {
      config: admin,
      schema: {
        hide: true,
        params: Type.Object({ key: Key }),
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const detail = await chains.findChain(request.actor!, request.params.key);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, ApprovalChainPage, { ctx: await pageContext(request), detail, notice });
    },
  );

  app.post(
    '/admin/approval-chains/:key/name',
    {
      config: admin,
      schema: {
        hide: true,
        params: Type.Object({ key: Key }),
        body: Type.Object({ chain_name: Text, ...Csrf }),
      },
    },
    async (request, reply) => {
      const { chain_name } = request.body;
      const edit: ChainEdit = { kind: 'rename_chain', name: chain_name };
      return change(request, reply, request.params.key, edit, 'chain_name', { chain_name });
    },
  );

  app.post(
    '/admin/approval-chains/:key/steps',
    {
      config: admin,
      schema: {
        hide: true,
        params: Type.Object({ key: Key }),
        body: Type.Object({
          name: Text,
          role: Type.String({ maxLength: 40 }),
          position: Type.Optional(Type.String({ maxLength: 10 })),
          person: Type.Optional(Type.String({ maxLength: 320 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { name, role, position = '', person = '' } = request.body;
      // An unreadable place becomes NaN, which the edit refuses with a message beside the field.
      const edit: ChainEdit = {
        kind: 'add_step',
        name,
        role,
        position: position === '' ? undefined : /^\d+$/.test(position) ? Number(position) : Number.NaN,
        personEmail: person,
      };
      return change(request, reply, request.params.key, edit, 'add', { name, role, position, person });
    },
  );

  app.post(
    '/admin/approval-chains/:key/steps/:step',
    {
      config: admin,
      schema: {
        hide: true,
        params: Type.Object({ key: Key, step: StepKey }),
        body: Type.Object({
          name: Text,
          role: Type.String({ maxLength: 40 }),
          person: Type.Optional(Type.String({ maxLength: 320 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { key, step } = request.params;
      const { name, role, person = '' } = request.body;
      const edit: ChainEdit = { kind: 'update_step', stepKey: step, name, role, personEmail: person };
      return change(request, reply, key, edit, { step }, { name, role, person });
    },
  );

  app.post(
    '/admin/approval-chains/:key/steps/:step/move',
    {
      config: admin,
      schema: {
        hide: true,
        params: Type.Object({ key: Key, step: StepKey }),
        body: Type.Object({
          direction: Type.Union([Type.Literal('up'), Type.Literal('down')]),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { key, step } = request.params;
      const edit: ChainEdit = { kind: 'move_step', stepKey: step, direction: request.body.direction };
      return change(request, reply, key, edit, { step }, {});
    },
  );

  app.post(
    '/admin/approval-chains/:key/steps/:step/remove',
    {
      config: admin,
      schema: {
        hide: true,
        params: Type.Object({ key: Key, step: StepKey }),
        body: Type.Object({ ...Csrf }),
      },
    },
    async (request, reply) => {
      const { key, step } = request.params;
      return change(request, reply, key, { kind: 'remove_step', stepKey: step }, { step }, {});
    },
  );
}
