import { type Static, Type } from 'typebox';
import { AppError, refused } from '../platform/errors.ts';
import { actingParty } from '../platform/http/access.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { catalogRoles } from './catalog.policy.ts';
import type { CertificateForm } from './certificate-content.ts';
import type { CertificateEditorService, CertificateEditorView } from './certificate-editor.service.ts';

const tags = ['Certificates'];
const reading = { access: catalogRoles.read_certificate_drafts, scope: 'certificates:read' as const };
const editing = { access: catalogRoles.edit_certificates, scope: 'certificates:write' as const };

const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }),
});
const Codes = (description: string) =>
  Type.Array(Type.String({ maxLength: 40 }), { maxItems: 200, description });

// Shapes only: lengths, ranges, courses in the catalog and badges on offer are the service's rules (the screen's),
// answered as 422 with one entry per field.
const CertificateBody = Type.Object(
  {
    title: Type.String({ maxLength: 1000 }),
    slug: Type.Optional(
      Type.String({ maxLength: 200, description: 'Made from the title when left out; fixed once published' }),
    ),
    description: Type.String({ maxLength: 10_000 }),
    level: Type.String({ maxLength: 40, description: 'undergraduate or graduate' }),
    creditsRequired: Type.Integer({ description: 'Credits needed in all, 0 to 200' }),
    isTranscripted: Type.Boolean(),
    badgesRequired: Type.Optional(
      // Null first: with type coercion on, a null tried against the integer first would become 0.
      Type.Union([Type.Null(), Type.Integer()], { description: 'How many badges; null for all of them' }),
    ),
    outcome: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])),
    programIds: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200, description: 'Badges it counts' }),
    ),
    requiredCourses: Type.Optional(Codes('Course codes every holder passes')),
    electiveCourses: Type.Optional(Codes('Course codes that count toward the credits')),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'What this version changes' })),
  },
  { additionalProperties: false },
);
type Body = Static<typeof CertificateBody>;

const Certificate = Type.Object({
  slug: Type.String(),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  draftVersion: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  description: Type.String(),
  level: Type.String(),
  creditsRequired: Type.Integer(),
  isTranscripted: Type.Boolean(),
  badgesRequired: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  programIds: Type.Array(Type.String()),
  requiredCourses: Type.Array(Type.String()),
  electiveCourses: Type.Array(Type.String()),
  note: Type.String({ description: 'The open draft’s note' }),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      title: Type.String(),
      note: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      isCurrent: Type.Boolean(),
    }),
  ),
});
const Listing = Type.Object({
  certificates: Type.Array(
    Type.Object({
      slug: Type.String(),
      title: Type.String(),
      publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
      draftVersion: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});
const FieldProblems = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
});

/** JSON into the editor's form, so the screen and the API are read by one reader with one set of rules. */
function formOf(body: Body): CertificateForm {
  return {
    title: body.title,
    slug: body.slug,
    description: body.description,
    level: body.level,
    creditsRequired: String(body.creditsRequired),
    isTranscripted: body.isTranscripted ? 'yes' : 'no',
    badgesRequired: body.badgesRequired == null ? '' : String(body.badgesRequired),
    outcome: body.outcome ?? '',
    programIds: body.programIds ?? [],
    requiredCourses: (body.requiredCourses ?? []).join('\n'),
    electiveCourses: (body.electiveCourses ?? []).join('\n'),
    note: body.note ?? '',
  };
}

const lines = (text: string | undefined) => (text ? text.split('\n') : []);

function present(view: CertificateEditorView) {
  const { form } = view;
  return {
    slug: view.slug,
    publishedVersion: view.publishedVersion,
    draftVersion: view.draftVersion,
    title: form.title ?? '',
    description: form.description ?? '',
    level: form.level ?? '',
    creditsRequired: Number(form.creditsRequired),
    isTranscripted: form.isTranscripted === 'yes',
    badgesRequired: form.badgesRequired ? Number(form.badgesRequired) : null,
    outcome: form.outcome || null,
    programIds: form.programIds ?? [],
    requiredCourses: lines(form.requiredCourses),
    electiveCourses: lines(form.electiveCourses),
    note: form.note ?? '',
    versions: view.versions.map((v) => ({
      version: v.version,
      title: v.title,
      note: v.note,
      createdAt: v.createdAt.toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
      isCurrent: v.isCurrent,
    })),
  };
}

/** The service refuses a form with 400 (the screen shows it again); to an API caller refused values are a 422. */
const asRefusal = (error: unknown): never => {
  if (error instanceof AppError && error.code === 'VALIDATION_FAILED') throw refused(error.fields);
  throw error;
};

/**
 * The certificates editor as JSON, with its rules and versions: create and save drafts at /api/certificates, read
 * them (and every version) at /api/certificate-drafts. A session (with CSRF) or an access token with the scope.
 */
export function registerCertificateApiRoutes(app: HttpServer, deps: { editor: CertificateEditorService }) {
  const { editor } = deps;

  // GET /api/certificates is the public list of published pathways; the staff's view, drafts included, has its own
  // address rather than answering differently at the same one to different callers.
  app.get(
    '/api/certificate-drafts',
    {
      config: reading,
      schema: { tags, summary: 'Every certificate, published or not', response: { 200: Listing } },
    },
    async (request) => {
      const { certificates } = await editor.list(actingParty(request));
      return {
        certificates: certificates.map((c) => ({
          slug: c.slug,
          title: c.draftTitle ?? c.title,
          publishedVersion: c.publishedVersion,
          draftVersion: c.draftVersion,
        })),
      };
    },
  );

  app.get(
    '/api/certificate-drafts/:slug',
    {
      config: reading,
      schema: {
        tags,
        summary: 'One certificate: its open draft (or the published version) and its versions',
        params: SlugParams,
        response: { 200: Certificate },
      },
    },
    async (request) => present(await editor.view(actingParty(request), request.params.slug)),
  );

  app.post(
    '/api/certificates',
    {
      config: editing,
      schema: {
        tags,
        summary: 'Create a certificate as a first draft (version 1), unseen by the public until published',
        body: CertificateBody,
        response: { 201: Certificate, 422: FieldProblems },
      },
    },
    async (request, reply) => {
      const actor = actingParty(request);
      const slug = await editor.create(actor, formOf(request.body)).catch(asRefusal);
      const view = await editor.view(actor, slug);
      return reply.status(201).header('location', `/api/certificate-drafts/${slug}`).send(present(view));
    },
  );

  app.put(
    '/api/certificates/:slug',
    {
      config: editing,
      schema: {
        tags,
        summary: 'Save the certificate as its open draft (a new version when none is open)',
        description:
          'The public page keeps showing the published version until the draft is published on the screen. ' +
          'A new `slug` renames a certificate that was never published; the answer names the current one.',
        params: SlugParams,
        body: CertificateBody,
        response: { 200: Certificate, 422: FieldProblems },
      },
    },
    async (request) => {
      const actor = actingParty(request);
      const slug = await editor.saveDraft(actor, request.params.slug, formOf(request.body)).catch(asRefusal);
      return present(await editor.view(actor, slug));
    },
  );
}
