import type { FastifyRequest } from 'fastify';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { HelpIndexPage, LearnerHelpPage, StaffHelpPage } from './help.views.tsx';

const open = { access: 'public' as const, cache: 'public' as const };

/**
 * The help pages: public, since learners and visitors need them before they have an account. They name the
 * institution as its settings do (through the page context), never a fixed name.
 */
export function registerHelpRoutes(
  app: HttpServer,
  deps: { pageContext: (r: FastifyRequest) => Promise<PageContext> },
): void {
  const { pageContext } = deps;
  app.get('/help', { config: open, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, HelpIndexPage, { ctx: await pageContext(request) }),
  );
  app.get('/help/learners', { config: open, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, LearnerHelpPage, { ctx: await pageContext(request) }),
  );
  app.get('/help/staff', { config: open, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, StaffHelpPage, { ctx: await pageContext(request) }),
  );
}
