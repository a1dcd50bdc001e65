import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { wantsProblemJson } from '../platform/http/error-handler.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { Role } from '../platform/roles.ts';
import { allRoles } from '../platform/roles.ts';
import { accountsRoles } from './accounts.policy.ts';
import { isPeopleRefusal, type PeopleService } from './people.service.ts';
import { PeoplePage, type PeoplePageProps } from './people.views.tsx';

interface Deps {
  people: PeopleService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const RoleSchema = Type.Union(allRoles.map((r) => Type.Literal(r)));
const Csrf = { _csrf: Type.Optional(Type.String()) };
const Person = Type.Object({ id: Type.String({ format: 'uuid' }) });

const notices: Record<string, string> = {
  invited: 'Invitation sent.',
  roles: 'Roles saved.',
  deactivated: 'The account is deactivated; its sessions have ended.',
  reactivated: 'The account is active again.',
  resent: 'A new invitation was sent; the earlier link no longer works.',
  setup: 'You are the first administrator. Invite the people who will run the service.',
};

/** The administrators' people and roles screen (HTML forms; an API caller gets 204 or a problem document). */
export function registerPeopleRoutes(app: HttpServer, { people, pageContext }: Deps): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<PeoplePageProps, 'ctx' | 'list'> & { status?: number; page?: number },
  ) => {
    const { status = 200, page, ...props } = extra;
    const list = await people.listPeople(request.actor!, { search: props.search, page });
    return sendPage(reply, PeoplePage, { ctx: await pageContext(request), list, ...props }, status);
  };

  app.get(
    '/admin/users',
    {
      config: { access: accountsRoles.list_users },
      schema: {
        hide: true,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          saved: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const { q, page, saved } = request.query;
      return render(request, reply, { search: q, page, notice: saved ? notices[saved] : undefined });
    },
  );

  app.post(
    '/admin/users',
    {
      config: { access: accountsRoles.invite_user },
      schema: {
        hide: true,
        body: Type.Object({
          name: Type.String({ maxLength: 200 }),
          email: Type.String({ maxLength: 320 }),
          roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 20 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const roles = (request.body.roles ?? []) as Role[];
      const draft = { name: request.body.name, email: request.body.email, roles };
      try {
        await people.inviteUser(request.actor!, draft);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED' || wantsProblemJson(request))
          throw error;
        return render(request, reply, { errors: error.fields, draft, status: error.status });
      }
      return done(request, reply, 'invited');
    },
  );

  app.post(
    '/admin/users/:id/roles',
    {
      config: { access: accountsRoles.change_roles },
      schema: {
        hide: true,
        params: Person,
        body: Type.Object({
          roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 20 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const roles = (request.body.roles ?? []) as Role[];
      return attempt(request, reply, 'roles', () =>
        people.setRoles(request.actor!, request.params.id, roles),
      );
    },
  );

  const actions = [
    ['deactivate', 'deactivated', accountsRoles.deactivate_user, people.deactivate],
    ['reactivate', 'reactivated', accountsRoles.reactivate_user, people.reactivate],
    ['resend', 'resent', accountsRoles.resend_invitation, people.resendInvitation],
  ] as const;
  for (const [path, saved, access, run] of actions) {
    app.post(
      `/admin/users/:id/${path}`,
      { config: { access }, schema: { hide: true, params: Person, body: Type.Object({ ...Csrf }) } },
      async (request, reply) =>
        attempt(request, reply, saved, () => run.call(people, request.actor!, request.params.id)),
    );
  }

  /** Runs one change; a refusal is shown on the screen (or as a problem document to an API caller). */
  async function attempt(
    request: FastifyRequest,
    reply: FastifyReply,
    saved: string,
    change: () => Promise<void>,
  ) {
    try {
      await change();
    } catch (error) {
      if (!isPeopleRefusal(error) || wantsProblemJson(request)) throw error;
      return render(request, reply, { problem: error.publicMessage, status: error.status });
    }
    return done(request, reply, saved);
  }

  function done(request: FastifyRequest, reply: FastifyReply, saved: string) {
    if (wantsProblemJson(request)) return reply.code(204).send();
    return reply.redirect(`/admin/users?saved=${saved}`, 303);
  }
}
