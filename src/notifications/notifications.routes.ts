import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../platform/errors.ts';
import { isFromThisMachine } from '../platform/http/loopback.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { notificationsRoles } from './notifications.policy.ts';
import type { NotificationsService } from './notifications.service.ts';
import { MailListPage } from './notifications.views.tsx';

const StatusQuery = Type.Object({
  status: Type.Optional(
    Type.Union([
      Type.Literal('queued'),
      Type.Literal('sending'),
      Type.Literal('retrying'),
      Type.Literal('sent'),
      Type.Literal('failed'),
    ]),
  ),
});

/** The staff view also says what was just done (a failed message sent again). */
const StaffMailQuery = Type.Object({
  ...StatusQuery.properties,
  resent: Type.Optional(Type.Literal('1')),
});

export function registerNotificationRoutes(
  app: HttpServer,
  deps: {
    notifications: NotificationsService;
    pageContext: (r: FastifyRequest) => Promise<PageContext>;
    /** True only in development with no SMTP server: the outbox is then the developer's own mailbox. */
    showDevMail: boolean;
  },
): void {
  const { notifications, pageContext } = deps;

  // With no SMTP server configured, development mail is read here instead of in an inbox. It holds every
  // reset and claim link in full, so it answers only the developer's own machine (see isFromThisMachine), and
  // anywhere else the page does not exist.
  app.get(
    '/dev/mail',
    { config: { access: 'public' }, schema: { hide: true, querystring: StatusQuery } },
    async (request, reply) => {
      if (!deps.showDevMail || !isFromThisMachine(request)) throw notFound();
      const rows = await notifications.list({ status: request.query.status, limit: 100 });
      return sendPage(reply, MailListPage, {
        ctx: await pageContext(request),
        title: 'Development mail',
        intro:
          'No SMTP server is configured, so messages the app sends are kept here. Links in them work as usual.',
        rows,
        base: '/dev/mail',
      });
    },
  );

  app.get(
    '/admin/mail',
    {
      config: { access: notificationsRoles.read_outbox },
      schema: { hide: true, querystring: StaffMailQuery },
    },
    async (request, reply) => {
      const outbox = await notifications.listForStaff(request.actor!, {
        status: request.query.status,
        limit: 200,
      });
      return sendPage(reply, MailListPage, {
        ctx: await pageContext(request),
        title: 'Outgoing mail',
        intro:
          'Account mail (password resets, invitations) has its own queue and leaves first. A message the mail ' +
          'server refuses is retried with growing delays for a day; after that it is failed, and can be sent ' +
          'again from here. One-time links (password resets, invitations, badge claims) are shown to their ' +
          'recipients only.',
        rows: outbox.rows,
        counts: outbox.counts,
        canResend: outbox.canResend,
        base: '/admin/mail',
        notice: request.query.resent ? 'The message was queued again; it leaves within seconds.' : undefined,
      });
    },
  );

  app.post(
    '/admin/mail/:id/resend',
    {
      config: { access: notificationsRoles.resend_mail },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      await notifications.resendFailed(request.actor!, request.params.id);
      return reply.redirect('/admin/mail?resent=1', 303);
    },
  );
}
