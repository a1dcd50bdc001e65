import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import { type HttpServer, SESSION_COOKIE } from '../platform/http/server.ts';
import { SESSION_IDLE_MS } from './accounts.service.ts';
import type { FirstAdminService } from './first-admin.service.ts';
import { SetupPage } from './setup.views.tsx';

interface Deps {
  firstAdmin: FirstAdminService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  secureCookies: boolean;
}

const Token = Type.String({ maxLength: 200 });

/**
 * `/setup`: open only with the token the server printed at start, and only while nobody is an administrator.
 * Any other visit gets the ordinary "not found" page, so the address tells a stranger nothing.
 */
export function registerSetupRoutes(app: HttpServer, { firstAdmin, pageContext, secureCookies }: Deps): void {
  // Guessing a 256-bit token is hopeless, but each attempt costs a database round trip: keep them few.
  const setupLimit = { max: 30, timeWindow: '15 minutes', hook: 'preHandler' as const };

  app.get(
    '/setup',
    {
      config: { access: 'public', rateLimit: setupLimit },
      schema: { hide: true, querystring: Type.Object({ token: Type.Optional(Token) }) },
    },
    async (request, reply) => {
      const token = request.query.token ?? '';
      if (!token || !(await firstAdmin.isSetupOpen(token))) throw notFound();
      // The token is in the address, so no Referer may carry the path; but under no-referrer Chromium sends
      // `Origin: null` with the form, which the CSRF check refuses. strict-origin names only our origin.
      reply.header('referrer-policy', 'strict-origin');
      return sendPage(reply, SetupPage, { ctx: await pageContext(request), token });
    },
  );

  app.post(
    '/setup',
    {
      config: { access: 'public', rateLimit: setupLimit },
      schema: {
        hide: true,
        body: Type.Object({
          token: Token,
          name: Type.String({ maxLength: 200 }),
          email: Type.String({ maxLength: 320 }),
          password: Type.String({ maxLength: 1000 }),
          confirm: Type.String({ maxLength: 1000 }),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { token, name, email, password, confirm } = request.body;
      if (!(await firstAdmin.isSetupOpen(token))) throw notFound();
      const draft = { name, email };
      const again = async (errors: { field: string; reason: string }[]) =>
        sendPage(reply, SetupPage, { ctx: await pageContext(request), token, draft, errors }, 400);
      if (password !== confirm) return again([{ field: 'confirm', reason: 'does not match the password' }]);
      try {
        const { sessionToken } = await firstAdmin.completeSetup(
          token,
          { name, email, password },
          { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
        );
        reply.setCookie(SESSION_COOKIE, sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: Math.floor(SESSION_IDLE_MS / 1000),
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'VALIDATION_FAILED') return again(error.fields);
        throw error;
      }
      return reply.redirect('/admin/users?saved=setup', 303);
    },
  );
}
