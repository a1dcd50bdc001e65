import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditActor } from '../audit/audit.service.ts';
import { AppError } from '../platform/errors.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { institutionRoles } from './institution.policy.ts';
import type { InstitutionService, StoredLogo } from './institution.service.ts';
import {
  type FailedProfileForm,
  InstitutionProfilePage,
  type SigningKeySummary,
} from './institution.views.tsx';
import { registerInstitutionApi } from './institution-api.routes.ts';
import { profileFields } from './institution-profile.ts';
import { MAX_LOGO_BYTES } from './logo-file.ts';

/** The signing keys, as the credentials module lists and rotates them (handed over in app.ts). */
export interface SigningKeys {
  list(): Promise<SigningKeySummary[]>;
  rotate(actor: AuditActor): Promise<{ keyId: string; retiredKeyId: string | null }>;
}

export interface InstitutionRouteDeps {
  institution: InstitutionService;
  signingKeys: SigningKeys;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const notices: Record<string, string> = {
  saved: 'The profile is saved. New badges name the institution this way from now on.',
  logo: 'The logo is saved.',
  logo_cleaned:
    'The logo is saved. Parts of the SVG that an image does not need (scripts, links to other files and the like) were removed.',
  logo_removed: 'The logo is removed. Badges issued with it still show it.',
  rotated: 'A new signing key is in use. Badges signed with the retired key keep verifying.',
};

const Csrf = { _csrf: Type.Optional(Type.String()) };
// Lengths and shapes are checked by the service, which names the field and the reason.
const ProfileForm = Type.Object({
  ...Object.fromEntries(
    profileFields.map((field) => [field, Type.Optional(Type.String({ maxLength: 4000 }))]),
  ),
  ...Csrf,
});
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });

const isUserProblem = (error: unknown): error is AppError =>
  error instanceof AppError && ['UNPROCESSABLE', 'VALIDATION_FAILED'].includes(error.code);

/** Reads the logo form's one file; a file past the limit comes back marked truncated, for a message, not a 413. */
async function readLogoUpload(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA', 'This form must be sent as multipart/form-data.');
  }
  const parts = request.parts({
    limits: { fileSize: MAX_LOGO_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
    throwFileSizeLimit: false,
  } as Parameters<FastifyRequest['parts']>[0]);
  let upload: { content: Uint8Array; truncated: boolean } | undefined;
  for await (const part of parts) {
    if (part.type !== 'file') continue;
    const content = await part.toBuffer();
    if (part.fieldname === 'file') upload ??= { content, truncated: part.file.truncated };
  }
  return upload ?? { content: new Uint8Array(), truncated: false };
}

/** Sends a logo so that no browser runs anything in it, whatever it holds: the SVG gets a CSP of its own. */
export function sendLogo(reply: FastifyReply, logo: StoredLogo, cacheControl: string) {
  return reply
    .type(logo.contentType)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', cacheControl)
    .send(Buffer.from(logo.content));
}

/** The administrators' profile screen, its logo and key forms, the JSON API and the public logo addresses. */
export function registerInstitutionRoutes(app: HttpServer, deps: InstitutionRouteDeps): void {
  const { institution, signingKeys, pageContext } = deps;

  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; failed?: FailedProfileForm },
    status = 200,
  ) => {
    const [profile, keys, ctx] = await Promise.all([
      institution.profile(request.actor),
      signingKeys.list(),
      pageContext(request),
    ]);
    return sendPage(reply, InstitutionProfilePage, { ctx, profile, keys, ...extra }, status);
  };

  /** Runs one change; a refused one shows the page again with the problems beside the form they came from. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FailedProfileForm['form'],
    values: FailedProfileForm['values'],
    work: () => Promise<string>,
  ) => {
    try {
      return reply.redirect(`/admin/institution?done=${await work()}`, 303);
    } catch (error) {
      if (!isUserProblem(error)) throw error;
      const failed = { form, values, errors: error.fields, message: error.publicMessage };
      return showPage(request, reply, { failed }, error.status);
    }
  };

  app.get(
    '/admin/institution',
    { config: { access: institutionRoles.view_profile }, schema: { hide: true, querystring: Done } },
    async (request, reply) => showPage(request, reply, { notice: notices[request.query.done ?? ''] }),
  );

  app.post(
    '/admin/institution',
    { config: { access: institutionRoles.edit_profile }, schema: { hide: true, body: ProfileForm } },
    async (request, reply) => {
      const body = request.body as Record<string, string | undefined>;
      const values = Object.fromEntries(profileFields.map((field) => [field, body[field] ?? '']));
      return change(request, reply, 'profile', values as FailedProfileForm['values'], async () => {
        await institution.updateProfile(request.actor, values);
        return 'saved';
      });
    },
  );

  app.post(
    '/admin/institution/logo/remove',
    { config: { access: institutionRoles.edit_profile }, schema: { hide: true, body: Type.Object(Csrf) } },
    async (request, reply) =>
      change(request, reply, 'logo', undefined, async () => {
        await institution.removeLogo(request.actor);
        return 'logo_removed';
      }),
  );

  app.post(
    '/admin/institution/keys/rotate',
    {
      config: { access: institutionRoles.manage_signing_keys },
      schema: { hide: true, body: Type.Object(Csrf) },
    },
    async (request, reply) => {
      await signingKeys.rotate(request.actor!);
      return reply.redirect('/admin/institution?done=rotated', 303);
    },
  );

  // Multipart only for the logo form, with its own limits; the CSRF token rides in the query.
  app.register(async (plugin: FastifyInstance) => {
    await acceptMultipart(plugin, { throwFileSizeLimit: false });
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.post(
      '/admin/institution/logo',
      {
        config: { access: institutionRoles.edit_profile },
        schema: { hide: true, querystring: Type.Object(Csrf) },
      },
      async (request, reply) => {
        const upload = await readLogoUpload(request);
        return change(request, reply, 'logo', undefined, async () => {
          const { removed } = await institution.replaceLogo(request.actor, upload);
          return removed.length > 0 ? 'logo_cleaned' : 'logo';
        });
      },
    );
  });

  app.get(
    '/institution/logo',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      const logo = await institution.currentLogo();
      if (!logo) throw new AppError('NOT_FOUND', 'This institution has no logo yet.');
      // The current logo may change: caches ask again after a few minutes.
      return sendLogo(reply, logo, 'public, max-age=300');
    },
  );

  app.get(
    '/institution/logo/:sha256',
    {
      config: { access: 'public' },
      schema: { hide: true, params: Type.Object({ sha256: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const logo = await institution.logo(request.params.sha256);
      if (!logo) throw new AppError('NOT_FOUND', 'That logo could not be found.');
      // The address names the bytes' hash, so what it serves never changes.
      return sendLogo(reply, logo, 'public, max-age=31536000, immutable');
    },
  );

  registerInstitutionApi(app, { institution });
}
