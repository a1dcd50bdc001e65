import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { TrustedIssuersService } from './trusted-issuers.service.ts';
import { type FailedTrustForm, TrustedIssuersPage } from './trusted-issuers.views.tsx';
import { verificationRoles } from './verification.policy.ts';

const notices: Record<string, string> = {
  added: 'The issuer is added: its badges now show as coming from a known issuer.',
  removed: 'The issuer is removed: its badges now show as coming from an issuer that is not known.',
  registry_added: 'The registry is added.',
  refreshed: 'The registry is fetched again.',
  refresh_failed: 'The registry could not be fetched; the copy fetched before is kept (see below).',
  registry_removed: 'The registry and the issuers it listed are removed.',
};

const viewing = { access: verificationRoles.view_trusted_issuers };
const changing = { access: verificationRoles.change_trusted_issuers };
const Csrf = { _csrf: Type.Optional(Type.String()) };
// Lengths and shapes are checked by the service, which names the field and the reason.
const Text = Type.String({ maxLength: 2000 });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The administrators' screen of trusted issuers: DIDs added by hand and registries of issuers. */
export function registerTrustedIssuerRoutes(
  app: HttpServer,
  deps: {
    trustedIssuers: TrustedIssuersService;
    pageContext: (request: FastifyRequest) => Promise<PageContext>;
  },
): void {
  const { trustedIssuers, pageContext } = deps;
  const done = (reply: FastifyReply, what: string) =>
    reply.redirect(`/admin/trusted-issuers?done=${what}`, 303);

  /** Runs one change; a problem with what was typed shows the page again with it beside the form. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FailedTrustForm['form'] | null,
    values: Record<string, string>,
    work: () => Promise<string>,
  ) => {
    try {
      return done(reply, await work());
    } catch (error) {
      const isUserProblem =
        error instanceof AppError &&
        ['VALIDATION_FAILED', 'CONFLICT', 'INVALID_STATE', 'NOT_FOUND'].includes(error.code);
      if (!isUserProblem) throw error;
      const failed: FailedTrustForm = {
        form: form ?? 'issuer',
        values: form ? values : {},
        errors: error.fields,
        message: error.publicMessage,
      };
      const overview = await trustedIssuers.overview(request.actor!);
      const ctx = await pageContext(request);
      return sendPage(reply, TrustedIssuersPage, { ctx, overview, failed }, error.status);
    }
  };

  app.get(
    '/admin/trusted-issuers',
    {
      config: viewing,
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const overview = await trustedIssuers.overview(request.actor!);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, TrustedIssuersPage, { ctx: await pageContext(request), overview, notice });
    },
  );

  app.post(
    '/admin/trusted-issuers',
    {
      config: changing,
      schema: {
        hide: true,
        body: Type.Object({ did: Text, name: Text, note: Type.Optional(Text), ...Csrf }),
      },
    },
    async (request, reply) => {
      const { did, name, note = '' } = request.body;
      return change(request, reply, 'issuer', { did, name, note }, async () => {
        await trustedIssuers.addIssuer(request.actor!, { did, name, note });
        return 'added';
      });
    },
  );

  app.post(
    '/admin/trusted-issuers/remove',
    { config: changing, schema: { hide: true, body: Type.Object({ did: Text, ...Csrf }) } },
    async (request, reply) =>
      change(request, reply, null, {}, async () => {
        await trustedIssuers.removeIssuer(request.actor!, request.body.did);
        return 'removed';
      }),
  );

  app.post(
    '/admin/trusted-issuers/registries',
    { config: changing, schema: { hide: true, body: Type.Object({ name: Text, url: Text, ...Csrf }) } },
    async (request, reply) => {
      const { name, url } = request.body;
      return change(request, reply, 'registry', { name, url }, async () => {
        const added = await trustedIssuers.addRegistry(request.actor!, { name, url });
        return added.refreshed && !added.refreshed.ok ? 'refresh_failed' : 'registry_added';
      });
    },
  );

  app.post(
    '/admin/trusted-issuers/registries/:id/refresh',
    { config: changing, schema: { hide: true, params: Id, body: Type.Object({ ...Csrf }) } },
    async (request, reply) =>
      change(request, reply, null, {}, async () => {
        const outcome = await trustedIssuers.refreshRegistry(request.actor!, request.params.id);
        return outcome.ok ? 'refreshed' : 'refresh_failed';
      }),
  );

  app.post(
    '/admin/trusted-issuers/registries/:id/remove',
    { config: changing, schema: { hide: true, params: Id, body: Type.Object({ ...Csrf }) } },
    async (request, reply) =>
      change(request, reply, null, {}, async () => {
        await trustedIssuers.removeRegistry(request.actor!, request.params.id);
        return 'registry_removed';
      }),
  );
}
