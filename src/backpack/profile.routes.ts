import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { ProfileService } from './profile.service.ts';
import { ProfileEditorPage, PublicProfilePage } from './profile.views.tsx';

interface Deps {
  profiles: ProfileService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const BadgeId = Type.String({ format: 'uuid' });

const notices: Record<string, string> = {
  saved: 'Your profile’s address and bio are saved.',
  published: 'Your profile is published.',
  unpublished: 'Your profile is taken down: its address now answers “not found”.',
  collection: 'The collection is saved.',
  removed: 'The collection is removed.',
  moved: 'The collection is moved.',
};

/** The learner's public profile: their own settings under /backpack/profile, and the published page at /p/. */
export function registerProfileRoutes(app: HttpServer, { profiles, pageContext }: Deps): void {
  const done = (reply: FastifyReply, what: string) => reply.redirect(`/backpack/profile?done=${what}`, 303);

  // A refused change comes back on the same page with its problems beside the fields.
  async function refused(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    typed?: { handle?: string; bio?: string },
  ) {
    if (
      !(error instanceof AppError) ||
      (error.code !== 'VALIDATION_FAILED' && error.code !== 'INVALID_STATE')
    ) {
      throw error;
    }
    const editor = await profiles.editor(request.actor!);
    const errors =
      error.fields.length > 0 ? error.fields : [{ field: 'handle', reason: error.publicMessage }];
    return sendPage(
      reply,
      ProfileEditorPage,
      { ctx: await pageContext(request), editor, errors, typed },
      400,
    );
  }

  app.get(
    '/backpack/profile',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const editor = await profiles.editor(request.actor!);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, ProfileEditorPage, { ctx: await pageContext(request), editor, notice });
    },
  );

  app.post(
    '/backpack/profile',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        body: Type.Object({
          handle: Type.String({ maxLength: 100 }),
          bio: Type.String({ maxLength: 2000 }),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { handle, bio } = request.body;
      try {
        await profiles.save(request.actor!, { handle, bio });
      } catch (error) {
        return refused(request, reply, error, { handle, bio });
      }
      return done(reply, 'saved');
    },
  );

  app.post(
    '/backpack/profile/publish',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        body: Type.Object({ published: Type.Union([Type.Literal('true'), Type.Literal('false')]), ...Csrf }),
      },
    },
    async (request, reply) => {
      const isPublished = request.body.published === 'true';
      try {
        await profiles.setPublished(request.actor!, isPublished);
      } catch (error) {
        return refused(request, reply, error);
      }
      return done(reply, isPublished ? 'published' : 'unpublished');
    },
  );

  app.post(
    '/backpack/profile/collections',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, body: Type.Object({ name: Type.String({ maxLength: 200 }), ...Csrf }) },
    },
    async (request, reply) => {
      try {
        await profiles.addCollection(request.actor!, request.body.name);
      } catch (error) {
        return refused(request, reply, error);
      }
      return done(reply, 'collection');
    },
  );

  app.post(
    '/backpack/profile/collections/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          name: Type.String({ maxLength: 200 }),
          // One checked box arrives as a string, several as a list.
          badges: Type.Optional(Type.Union([BadgeId, Type.Array(BadgeId, { maxItems: 500 })])),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { name, badges } = request.body;
      const credentialIds = badges === undefined ? [] : Array.isArray(badges) ? badges : [badges];
      try {
        await profiles.changeCollection(request.actor!, request.params.id, { name, credentialIds });
      } catch (error) {
        return refused(request, reply, error);
      }
      return done(reply, 'collection');
    },
  );

  app.post(
    '/backpack/profile/collections/:id/move',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({ direction: Type.Union([Type.Literal('up'), Type.Literal('down')]), ...Csrf }),
      },
    },
    async (request, reply) => {
      await profiles.moveCollection(request.actor!, request.params.id, request.body.direction);
      return done(reply, 'moved');
    },
  );

  app.post(
    '/backpack/profile/collections/:id/delete',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await profiles.removeCollection(request.actor!, request.params.id);
      return done(reply, 'removed');
    },
  );

  app.get(
    '/p/:handle',
    {
      config: { access: 'public' },
      schema: { hide: true, params: Type.Object({ handle: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const profile = await profiles.publicProfile(request.params.handle);
      return sendPage(reply, PublicProfilePage, { ctx: await pageContext(request), profile });
    },
  );
}
