import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { AccountEmailsService } from './account-emails.service.ts';
import { AddressesPage, ConfirmAddressPage } from './account-emails.views.tsx';

interface Deps {
  emails: AccountEmailsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const notices: Record<string, string> = {
  sent: 'If the address can be added, a confirmation link is on its way to it. It works once, within 24 hours.',
  confirmed: 'The address is confirmed. You can sign in with it now.',
  removed: 'The address is removed from your account.',
  primary: 'Your primary address is changed.',
};

/** A person's own addresses: list, add (with a link mailed to the address), confirm, remove, make primary. */
export function registerAccountEmailRoutes(app: HttpServer, { emails, pageContext }: Deps): void {
  app.get(
    '/account/emails',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const addresses = await emails.list(request.actor!);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, AddressesPage, { ctx: await pageContext(request), addresses, notice });
    },
  );

  // Answers a refused change on the same page, with its problem beside the field (no JavaScript needed).
  async function refusedPage(
    request: FastifyRequest,
    reply: Parameters<typeof sendPage>[0],
    error: unknown,
    email?: string,
  ) {
    if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
    const addresses = await emails.list(request.actor!);
    const ctx = await pageContext(request);
    return sendPage(reply, AddressesPage, { ctx, addresses, errors: error.fields, email }, 400);
  }

  app.post(
    '/account/emails',
    {
      config: { access: 'signed-in', rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: { hide: true, body: Type.Object({ email: Type.String({ maxLength: 320 }), ...Csrf }) },
    },
    async (request, reply) => {
      try {
        await emails.add(request.actor!, request.body.email, request.ip);
      } catch (error) {
        return refusedPage(request, reply, error, request.body.email);
      }
      return reply.redirect('/account/emails?done=sent', 303);
    },
  );

  app.get(
    '/account/emails/confirm',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, querystring: Type.Object({ token: Type.String({ maxLength: 200 }) }) },
    },
    async (request, reply) => {
      const link = await emails.inspect(request.actor!, request.query.token);
      const ctx = await pageContext(request);
      const page = { ctx, token: request.query.token, link };
      return sendPage(reply, ConfirmAddressPage, page, link.state === 'live' ? 200 : 410);
    },
  );

  app.post(
    '/account/emails/confirm',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, body: Type.Object({ token: Type.String({ maxLength: 200 }), ...Csrf }) },
    },
    async (request, reply) => {
      try {
        await emails.confirm(request.actor!, request.body.token, request.ip);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'INVALID_STATE') throw error;
        const ctx = await pageContext(request);
        const page = { ctx, token: '', link: { state: 'invalid' as const } };
        return sendPage(reply, ConfirmAddressPage, page, 410);
      }
      return reply.redirect('/account/emails?done=confirmed', 303);
    },
  );

  app.post(
    '/account/emails/:id/remove',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      try {
        await emails.remove(request.actor!, request.params.id, request.ip);
      } catch (error) {
        return refusedPage(request, reply, error);
      }
      return reply.redirect('/account/emails?done=removed', 303);
    },
  );

  app.post(
    '/account/emails/:id/primary',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      try {
        await emails.makePrimary(request.actor!, request.params.id, request.ip);
      } catch (error) {
        return refusedPage(request, reply, error);
      }
      return reply.redirect('/account/emails?done=primary', 303);
    },
  );
}
