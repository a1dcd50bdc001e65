import { readFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { DownloadFormat } from './backpack.service.ts';
import { BackpackPage } from './backpack.views.tsx';
import type { BackpackRouteDeps } from './backpack-route-deps.ts';
import { PublicBadgePage } from './badge.views.tsx';
import { registerClaimRoutes } from './claim.routes.ts';
import { registerImportedBadgeRoutes } from './imported-badges.routes.ts';
import { registerTemplateRoutes } from './templates.routes.ts';

const Csrf = { _csrf: Type.Optional(Type.String()) };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Flag = Type.Union([Type.Literal('true'), Type.Literal('false')]);
const copyScript = readFileSync(new URL('./copy-link.js', import.meta.url), 'utf8');

const files: Record<string, DownloadFormat> = {
  'baked.png': 'png',
  'baked.svg': 'svg',
  'credential.json': 'json',
  'credential.jwt': 'jwt',
};

const notices: Record<string, string> = {
  claimed: 'The badge is in your backpack.',
  public: 'The public page is shown again.',
  hidden: 'The public page is hidden. Anyone else who opens its link is told it does not exist.',
  name: 'Your choice about your name is saved.',
  removed: 'The badge from another issuer was removed from your backpack.',
  accepted: 'The badge is accepted: you can share it and show it on your profile.',
  declined: 'The badge is declined: it is shared nowhere. You can still accept it.',
  renewed: 'Your badge is renewed: the new badge is below, and the earlier one is kept, marked renewed.',
};

/** The backpack, its downloads and privacy choices, the public badge pages, claiming and the claim e-mail. */
export function registerBackpackRoutes(app: HttpServer, deps: BackpackRouteDeps): void {
  const { backpack, pageContext } = deps;
  registerClaimRoutes(app, deps);
  registerTemplateRoutes(app, deps);
  registerImportedBadgeRoutes(app, deps);

  app.get(
    '/backpack',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        querystring: Type.Object({
          claimed: Type.Optional(Type.String({ maxLength: 64 })),
          saved: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const { claimed, saved } = request.query;
      const notice = claimed ? notices.claimed : saved ? notices[saved] : undefined;
      return sendPage(reply, BackpackPage, { ...(await backpackPage(request)), notice });
    },
  );

  /** What the backpack page shows: the learner's badges, the ones from other issuers, and renewal standings. */
  async function backpackPage(request: FastifyRequest) {
    const [badges, imported] = await Promise.all([
      backpack.list(request.actor!),
      deps.importedBadges.list(request.actor!),
    ]);
    const renewals = new Map(
      await Promise.all(
        badges.map(async (badge) => [badge.id, await deps.renewals.standingOf(badge.id)] as const),
      ),
    );
    return { ctx: await pageContext(request), badges, imported, renewals };
  }

  app.post(
    '/backpack/:id/renew',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      try {
        const renewed = await deps.renewals.renew(request.actor!, request.params.id);
        return reply.redirect(`/backpack?saved=renewed#badge-${renewed.credentialId}`, 303);
      } catch (error) {
        // A refusal the learner can act on is shown on the backpack itself, beside the badge, not on an error page.
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
        const problem = {
          message: error.publicMessage,
          reasons: error.fields.map((f) => `${f.field === 'renewal' ? 'Renewal' : f.field} ${f.reason}`),
        };
        return sendPage(reply, BackpackPage, { ...(await backpackPage(request)), problem }, error.status);
      }
    },
  );

  app.get(
    '/backpack/copy-link.js',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(copyScript),
  );

  for (const [file, format] of Object.entries(files)) {
    app.get(
      `/backpack/:id/${file}`,
      { config: { access: 'signed-in' }, schema: { hide: true, params: IdParams } },
      async (request, reply) => {
        const download = await backpack.download(request.actor!, request.params.id, format);
        return reply
          .type(download.type)
          .header('content-disposition', `attachment; filename="${download.filename}"`)
          .send(download.body);
      },
    );
  }

  app.post(
    '/backpack/:id/claim',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await backpack.claimWaiting(request.actor!, request.params.id);
      return reply.redirect(`/backpack?claimed=${request.params.id}`, 303);
    },
  );

  for (const answer of ['accept', 'decline'] as const) {
    app.post(
      `/backpack/:id/${answer}`,
      {
        config: { access: 'signed-in' },
        schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (answer === 'accept') await backpack.accept(request.actor!, id);
        else await backpack.decline(request.actor!, id);
        return reply.redirect(`/backpack?saved=${answer}ed#badge-${id}`, 303);
      },
    );
  }

  app.post(
    '/backpack/:id/visibility',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ public: Flag, ...Csrf }) },
    },
    async (request, reply) => {
      const isPublic = request.body.public === 'true';
      await backpack.setPublic(request.actor!, request.params.id, isPublic);
      return reply.redirect(`/backpack?saved=${isPublic ? 'public' : 'hidden'}`, 303);
    },
  );

  app.post(
    '/backpack/:id/name',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ show: Flag, ...Csrf }) },
    },
    async (request, reply) => {
      await backpack.setShowName(request.actor!, request.params.id, request.body.show === 'true');
      return reply.redirect('/backpack?saved=name', 303);
    },
  );

  app.get(
    '/badges/:id',
    {
      // Anonymous visitors may be served a copy up to a minute old; the learner always sees it fresh.
      config: { access: 'public', cache: 'public' },
      schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const badge = await backpack.publicBadge(request.actor, request.params.id);
      return sendPage(reply, PublicBadgePage, { ctx: await pageContext(request), badge });
    },
  );
}
