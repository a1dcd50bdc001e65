import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, type FieldProblem } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import { type HttpServer, SESSION_COOKIE } from '../platform/http/server.ts';
import { type AccountsService, SESSION_IDLE_MS } from './accounts.service.ts';
import { ChoosePasswordPage, ForgotPasswordPage, LoginPage, type SignInChoice } from './accounts.views.tsx';
import { isSafeNext, safeNext } from './safe-next.ts';
import { SignedOutContinuePage } from './sign-out.views.tsx';

interface Deps {
  accounts: AccountsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  secureCookies: boolean;
  /** The identity providers offered on the sign-in page (handed over by the composition root). */
  signInChoices?: () => Promise<SignInChoice[]>;
  /**
   * Where to send a person signing out so the identity provider that opened their session ends its own too (SAML
   * single logout), or null; asked before the session ends.
   */
  singleLogoutUrl?: (sessionToken: string) => Promise<string | null>;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };

export function registerAccountRoutes(
  app: HttpServer,
  {
    accounts,
    pageContext,
    secureCookies,
    signInChoices = async () => [],
    singleLogoutUrl = async () => null,
  }: Deps,
): void {
  // Per client address and account: the address is the socket's unless it is a configured proxy's (see
  // STACKABLE_TRUSTED_PROXIES), and the account is the normalised e-mail, so neither a forged X-Forwarded-For
  // nor " Admin@X.edu " buys a fresh budget. Guessing spread over many addresses meets the per-account limit.
  const loginLimit = {
    max: 10,
    timeWindow: '15 minutes',
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) =>
      `${request.ip}:${normaliseEmail(String((request.body as { email?: unknown } | undefined)?.email ?? ''))}`,
  };

  app.get(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object({
          next: Type.Optional(Type.String({ maxLength: 500 })),
          password_set: Type.Optional(Type.String({ maxLength: 4 })),
          signed_out: Type.Optional(Type.String({ maxLength: 4 })),
        }),
      },
    },
    async (request, reply) => {
      if (request.actor) return reply.redirect(safeNext(request.query.next));
      // An unsafe next is not followed after sign-in either, but it is not echoed into the form at all.
      const next = isSafeNext(request.query.next) ? request.query.next : undefined;
      // Where a finished step lands: say that it worked, so nobody wonders whether to do it again.
      const notice =
        request.query.password_set !== undefined
          ? 'Your password is set. Sign in with it now.'
          : request.query.signed_out !== undefined
            ? 'You are signed out.'
            : undefined;
      return sendPage(reply, LoginPage, {
        ctx: await pageContext(request),
        next,
        notice,
        choices: await signInChoices(),
      });
    },
  );

  app.post(
    '/login',
    {
      // No attempt counter here: it would count successful sign-ins too. The service counts failures alone, per
      // account and per address, and says how long to wait (sign-in-limits.ts).
      config: { access: 'public' },
      schema: {
        hide: true,
        body: Type.Object({
          email: Type.String({ maxLength: 320 }),
          password: Type.String({ maxLength: 1000 }),
          next: Type.Optional(Type.String({ maxLength: 500 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { email, password, next } = request.body;
      try {
        const { token } = await accounts.login({
          email,
          password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: Math.floor(SESSION_IDLE_MS / 1000),
        });
        return reply.redirect(safeNext(next), 303);
      } catch (error) {
        if (!(error instanceof AppError) || !['UNAUTHENTICATED', 'RATE_LIMITED'].includes(error.code))
          throw error;
        const ctx = await pageContext(request);
        const kept = isSafeNext(next) ? next : undefined;
        return sendPage(
          reply,
          LoginPage,
          { ctx, email, next: kept, failed: error.publicMessage, choices: await signInChoices() },
          error.status,
        );
      }
    },
  );

  app.post(
    '/logout',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        body: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })), ...Csrf }),
      },
    },
    async (request, reply) => {
      const atProvider = request.sessionToken ? await singleLogoutUrl(request.sessionToken) : null;
      if (request.sessionToken) await accounts.logout(request.actor, request.sessionToken, request.ip);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      // The session here is over either way; the provider's answer comes back to its logout address.
      if (atProvider) {
        const ctx = { ...(await pageContext(request)), actor: null };
        return sendPage(reply, SignedOutContinuePage, { ctx, url: atProvider });
      }
      // A page may send the person back to where they were (a claim link opened in the wrong account).
      const next = request.body.next;
      return reply.redirect(next ? safeNext(next) : '/login?signed_out=1', 303);
    },
  );

  app.get(
    '/password/forgot',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => sendPage(reply, ForgotPasswordPage, { ctx: await pageContext(request) }),
  );

  app.post(
    '/password/forgot',
    {
      config: { access: 'public', rateLimit: { ...loginLimit, max: 5 } },
      schema: { hide: true, body: Type.Object({ email: Type.String({ maxLength: 320 }), ...Csrf }) },
    },
    async (request, reply) => {
      const email = normaliseEmail(request.body.email);
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
        const errors: FieldProblem[] = [{ field: 'email', reason: 'must be an e-mail address' }];
        return sendPage(reply, ForgotPasswordPage, { ctx: await pageContext(request), errors }, 400);
      }
      await accounts.requestPasswordReset(email, request.ip);
      return sendPage(reply, ForgotPasswordPage, { ctx: await pageContext(request), sent: true });
    },
  );

  for (const [path, purpose] of [
    ['/password/reset', 'reset'],
    ['/invitation', 'invite'],
  ] as const) {
    /** The form for a link as it stands now (gone: 410), with the problems of the last try if any (400). */
    const choosePassword = async (
      request: FastifyRequest,
      reply: FastifyReply,
      token: string,
      errors?: FieldProblem[],
    ) => {
      const link = await accounts.passwordLinkState(token, purpose);
      const status = !link.live ? 410 : errors ? 400 : 200;
      const ctx = await pageContext(request);
      return sendPage(reply, ChoosePasswordPage, { ctx, purpose, token, ...link, errors }, status);
    };

    app.get(
      path,
      {
        config: { access: 'public' },
        schema: { hide: true, querystring: Type.Object({ token: Type.String({ maxLength: 200 }) }) },
      },
      async (request, reply) => choosePassword(request, reply, request.query.token),
    );

    app.post(
      path,
      {
        config: { access: 'public', rateLimit: { ...loginLimit, keyGenerator: (r: FastifyRequest) => r.ip } },
        schema: {
          hide: true,
          body: Type.Object({
            token: Type.String({ maxLength: 200 }),
            password: Type.String({ maxLength: 1000 }),
            confirm: Type.String({ maxLength: 1000 }),
            ...Csrf,
          }),
        },
      },
      async (request, reply) => {
        const { token, password, confirm } = request.body;
        if (password !== confirm) {
          return choosePassword(request, reply, token, [
            { field: 'confirm', reason: 'does not match the password' },
          ]);
        }
        try {
          await accounts.completeTokenPassword(token, purpose, password, request.ip);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.code === 'VALIDATION_FAILED') {
            return choosePassword(request, reply, token, error.fields);
          }
          if (error.code === 'INVALID_STATE') {
            const ctx = await pageContext(request);
            const gone = { ctx, purpose, token, live: false, accountEmail: null };
            return sendPage(reply, ChoosePasswordPage, gone, 410);
          }
          throw error;
        }
        return reply.redirect('/login?password_set=1', 303);
      },
    );
  }
}
