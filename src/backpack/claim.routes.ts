import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SESSION_IDLE_MS } from '../accounts/accounts.service.ts';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import { type HttpServer, SESSION_COOKIE } from '../platform/http/server.ts';
import type { BackpackRouteDeps } from './backpack-route-deps.ts';
import {
  ClaimAccountPage,
  ClaimProblemPage,
  ClaimSignInPage,
  ClaimWrongAccountPage,
  ResendPage,
} from './claim.views.tsx';
import { ClaimForSomeoneElse, type ClaimLinkState, ClaimRefused } from './claims.service.ts';

const Csrf = { _csrf: Type.Optional(Type.String()) };
const TokenQuery = Type.Object({ token: Type.String({ maxLength: 200 }) });

/** How each unusable link is answered: gone for spent or expired links, not found for made-up ones. */
const statusFor: Record<ClaimLinkState, number> = {
  invalid: 404,
  used: 410,
  expired: 410,
  claimed: 409,
  revoked: 410,
  live: 200,
};

const byIp = (request: FastifyRequest) => request.ip;

/** Claim links from the e-mail, account set-up or sign-in on the way, and asking for a new link. */
export function registerClaimRoutes(app: HttpServer, deps: BackpackRouteDeps): void {
  const { backpack, pageContext, secureCookies } = deps;
  const claims = backpack.claims;

  /** A refused claim is explained on its own page; anything else goes to the app's error handler. */
  const explainRefusal = async (
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
    token?: string,
  ) => {
    if (error instanceof ClaimForSomeoneElse && token) {
      const ctx = await pageContext(request);
      const props = { ctx, token, link: error.link, signedInAs: error.signedInAs };
      return sendPage(reply, ClaimWrongAccountPage, props, 403);
    }
    if (!(error instanceof ClaimRefused)) throw error;
    const ctx = await pageContext(request);
    return sendPage(reply, ClaimProblemPage, { ctx, link: error.link }, statusFor[error.link.state]);
  };

  app.get(
    '/claim',
    { config: { access: 'public' }, schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      const { token } = request.query;
      const link = await claims.inspect(token);
      const ctx = await pageContext(request);
      if (link.state !== 'live')
        return sendPage(reply, ClaimProblemPage, { ctx, link }, statusFor[link.state]);
      const actor = request.actor;
      if (actor) {
        // The badge's own addressee, signed in: nothing to decide, so the visit itself claims it. Anyone else is
        // refused by the service and told to sign out.
        try {
          const id = await claims.claimForActor(actor, token, request.ip);
          return reply.redirect(`/backpack?claimed=${id}`, 303);
        } catch (error) {
          return explainRefusal(error, request, reply, token);
        }
      }
      return link.hasAccount
        ? sendPage(reply, ClaimSignInPage, { ctx, token, link })
        : sendPage(reply, ClaimAccountPage, { ctx, token, link });
    },
  );

  app.post(
    '/claim',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, body: Type.Object({ token: Type.String({ maxLength: 200 }), ...Csrf }) },
    },
    async (request, reply) => {
      try {
        const id = await claims.claimForActor(request.actor!, request.body.token, request.ip);
        return reply.redirect(`/backpack?claimed=${id}`, 303);
      } catch (error) {
        return explainRefusal(error, request, reply, request.body.token);
      }
    },
  );

  app.post(
    '/claim/account',
    {
      config: {
        access: 'public',
        rateLimit: { max: 10, timeWindow: '15 minutes', hook: 'preHandler', keyGenerator: byIp },
      },
      schema: {
        hide: true,
        body: Type.Object({
          token: Type.String({ maxLength: 200 }),
          name: Type.String({ maxLength: 300 }),
          password: Type.String({ maxLength: 1000 }),
          confirm: Type.String({ maxLength: 1000 }),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { token, name, password, confirm } = request.body;
      try {
        const claimed = await claims.claimWithNewAccount(
          token,
          { name, password, confirm },
          { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
        );
        reply.setCookie(SESSION_COOKIE, claimed.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: Math.floor(SESSION_IDLE_MS / 1000),
        });
        return reply.redirect(`/backpack?claimed=${claimed.credentialId}`, 303);
      } catch (error) {
        // Bad input, or an account made for this address meanwhile: back to the right form for this link.
        if (error instanceof AppError && !(error instanceof ClaimRefused)) {
          const link = await claims.inspect(token);
          const ctx = await pageContext(request);
          if (link.state === 'live' && error.code === 'VALIDATION_FAILED') {
            return sendPage(reply, ClaimAccountPage, { ctx, token, link, name, errors: error.fields }, 400);
          }
          if (link.state === 'live' && link.hasAccount) {
            return sendPage(reply, ClaimSignInPage, { ctx, token, link }, 409);
          }
        }
        return explainRefusal(error, request, reply);
      }
    },
  );

  app.get(
    '/claim/resend',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object({ email: Type.Optional(Type.String({ maxLength: 320 })) }),
      },
    },
    async (request, reply) =>
      sendPage(reply, ResendPage, { ctx: await pageContext(request), email: request.query.email }),
  );

  app.post(
    '/claim/resend',
    {
      config: {
        access: 'public',
        rateLimit: { max: 5, timeWindow: '15 minutes', hook: 'preHandler', keyGenerator: byIp },
      },
      schema: { hide: true, body: Type.Object({ email: Type.String({ maxLength: 320 }), ...Csrf }) },
    },
    async (request, reply) => {
      try {
        await claims.resend(request.body.email, request.ip);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        const ctx = await pageContext(request);
        return sendPage(reply, ResendPage, { ctx, email: request.body.email, errors: error.fields }, 400);
      }
      return sendPage(reply, ResendPage, { ctx: await pageContext(request), sent: true });
    },
  );
}
