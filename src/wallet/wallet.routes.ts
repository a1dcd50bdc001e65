import { readFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { WalletService } from './wallet.service.ts';
import { progressSentence, WalletOfferPage, WalletPage, WalletProgressPage } from './wallet.views.tsx';

export interface WalletRouteDeps {
  wallet: WalletService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OfferParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  offerId: Type.String({ format: 'uuid' }),
});
const progressScript = readFileSync(new URL('./offer-progress.js', import.meta.url), 'utf8');

/**
 * The learner's side of wallet delivery: a badge's "Add to a wallet" page, the offer shown once, and whether it
 * has arrived. Every badge is looked up by the signed-in person, so nobody reaches another's (the wallet policy).
 */
export function registerWalletRoutes(app: HttpServer, { wallet, pageContext }: WalletRouteDeps): void {
  app.get(
    '/backpack/:id/wallet',
    { config: { access: 'signed-in' }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const view = await wallet.walletPage(request.actor!, request.params.id);
      return sendPage(reply, WalletPage, { ctx: await pageContext(request), view });
    },
  );

  // The answer is the offer itself, shown once: its secrets are kept only as hashes, so no later page has them.
  app.post(
    '/backpack/:id/wallet/offers',
    {
      config: { access: 'signed-in', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { hide: true, params: IdParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      const offer = await wallet.makeOffer(request.actor!, request.params.id);
      reply.header('cache-control', 'no-store');
      return sendPage(reply, WalletOfferPage, { ctx: await pageContext(request), offer });
    },
  );

  app.get(
    '/backpack/:id/wallet/offers/:offerId',
    { config: { access: 'signed-in' }, schema: { hide: true, params: OfferParams } },
    async (request, reply) => {
      const { id, offerId } = request.params;
      const progress = await wallet.offerProgress(request.actor!, id, offerId);
      return sendPage(reply, WalletProgressPage, {
        ctx: await pageContext(request),
        credentialId: id,
        progress,
      });
    },
  );

  app.get(
    '/backpack/:id/wallet/offers/:offerId/progress',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: OfferParams,
        response: {
          200: Type.Object({
            delivered: Type.Boolean(),
            expired: Type.Boolean(),
            holderDid: Type.Union([Type.String(), Type.Null()]),
            sentence: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { id, offerId } = request.params;
      const progress = await wallet.offerProgress(request.actor!, id, offerId);
      return reply
        .header('cache-control', 'no-store')
        .send({ ...progress, sentence: progressSentence(progress) });
    },
  );

  app.get(
    '/wallet/offer-progress.js',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(progressScript),
  );
}
