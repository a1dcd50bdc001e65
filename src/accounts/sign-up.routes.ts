import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import { type HttpServer, SESSION_COOKIE } from '../platform/http/server.ts';
import { SESSION_IDLE_MS } from './accounts.service.ts';
import { isSafeNext, safeNext } from './safe-next.ts';
import type { SignUpService } from './sign-up.service.ts';
import { SignUpPage, SignUpSentPage, VerifyEmailPage, VerifyFirstPage } from './sign-up.views.tsx';

interface Deps {
  signUp: SignUpService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  secureCookies: boolean;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const Next = { next: Type.Optional(Type.String({ maxLength: 500 })) };
/** A `next` kept only when it is a path on this site; anything else is dropped, never echoed into a form. */
const keptNext = (next: string | undefined) => (isSafeNext(next) ? next : undefined);

/** `/signup` and the e-mail verification that follows it. */
export function registerSignUpRoutes(app: HttpServer, { signUp, pageContext, secureCookies }: Deps): void {
  // Per client address (the socket's, or a configured proxy's client: see STACKABLE_TRUSTED_PROXIES). The
  // per-address-of-mail limit is in the service, counted in the database so every process shares it.
  const perClient = {
    max: 10,
    timeWindow: '15 minutes',
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `sign-up:${request.ip}`,
  };
  const openSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: Math.floor(SESSION_IDLE_MS / 1000),
    });

  app.get(
    '/signup',
    { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object(Next) } },
    async (request, reply) => {
      if (request.actor) return reply.redirect(safeNext(request.query.next));
      const ctx = await pageContext(request);
      return sendPage(reply, SignUpPage, { ctx, next: keptNext(request.query.next) });
    },
  );

  app.post(
    '/signup',
    {
      config: { access: 'public', rateLimit: perClient },
      schema: {
        hide: true,
        body: Type.Object({
          name: Type.String({ maxLength: 200 }),
          email: Type.String({ maxLength: 320 }),
          password: Type.String({ maxLength: 1000 }),
          confirm: Type.String({ maxLength: 1000 }),
          ...Next,
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { name, email, next } = request.body;
      try {
        await signUp.signUp(request.body, request.ip);
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'RATE_LIMITED'].includes(error.code))
          throw error;
        const ctx = await pageContext(request);
        const problem = error.code === 'RATE_LIMITED' ? error.publicMessage : undefined;
        const props = { ctx, next: keptNext(next), errors: error.fields, problem, draft: { name, email } };
        return sendPage(reply, SignUpPage, props, error.status);
      }
      return sendPage(reply, SignUpSentPage, { ctx: await pageContext(request) });
    },
  );

  app.get(
    '/signup/verify',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object({ token: Type.String({ maxLength: 200 }), ...Next }),
      },
    },
    async (request, reply) => {
      const { token, next } = request.query;
      const owner = await signUp.linkOwner(token);
      const ctx = await pageContext(request);
      const live = owner !== undefined;
      const askPassword = request.actor?.id !== owner;
      const props = { ctx, token, next: keptNext(next), live, askPassword };
      return sendPage(reply, VerifyEmailPage, props, live ? 200 : 410);
    },
  );

  app.post(
    '/signup/verify',
    {
      config: { access: 'public', rateLimit: perClient },
      schema: {
        hide: true,
        body: Type.Object({
          token: Type.String({ maxLength: 200 }),
          password: Type.Optional(Type.String({ maxLength: 1000 })),
          ...Next,
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { token, password, next } = request.body;
      try {
        const { sessionToken } = await signUp.verify(
          token,
          { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
          { signedInAs: request.actor?.id ?? null, password },
        );
        openSession(reply, sessionToken);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const ctx = await pageContext(request);
        if (error.code === 'VALIDATION_FAILED') {
          const props = {
            ctx,
            token,
            next: keptNext(next),
            live: true,
            askPassword: true,
            errors: error.fields,
          };
          return sendPage(reply, VerifyEmailPage, props, 400);
        }
        if (error.code !== 'INVALID_STATE') throw error;
        return sendPage(reply, VerifyEmailPage, { ctx, token, live: false, askPassword: false }, 410);
      }
      return reply.redirect(safeNext(next), 303);
    },
  );

  app.get(
    '/signup/pending',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        querystring: Type.Object({ ...Next, sent: Type.Optional(Type.Literal('1')) }),
      },
    },
    async (request, reply) => {
      const { next, sent } = request.query;
      if (!(await signUp.needsVerification(request.actor!))) return reply.redirect(safeNext(next));
      const ctx = await pageContext(request);
      return sendPage(reply, VerifyFirstPage, { ctx, next: keptNext(next), sent: sent === '1' });
    },
  );

  app.post(
    '/signup/resend',
    {
      config: { access: 'signed-in', rateLimit: perClient },
      schema: { hide: true, body: Type.Object({ ...Next, ...Csrf }) },
    },
    async (request, reply) => {
      const next = keptNext(request.body.next);
      try {
        const sent = await signUp.resend(request.actor!, next, request.ip);
        if (!sent) return reply.redirect(safeNext(next), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'RATE_LIMITED') throw error;
        const ctx = await pageContext(request);
        return sendPage(reply, VerifyFirstPage, { ctx, next, problem: error.publicMessage }, 429);
      }
      const then = next ? `&next=${encodeURIComponent(next)}` : '';
      return reply.redirect(`/signup/pending?sent=1${then}`, 303);
    },
  );
}
