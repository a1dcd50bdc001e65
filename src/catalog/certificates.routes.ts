import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { OPEN_STATES } from '../programs/program-vocabulary.ts';
import type { CertificateEntry, CertificatesService, Pathway } from './certificates.service.ts';
import { CertificatesPage, PathwayPage } from './certificates.views.tsx';

const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }),
});
const level = Type.Union([Type.Literal('undergraduate'), Type.Literal('graduate')]);
const badgesRequired = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
  description: 'How many of the stacked micro-credentials are needed; null means all of them',
});

const CertificateSummary = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  level,
  credits: Type.Integer({ description: 'Credits the whole certificate needs' }),
  isTranscripted: Type.Boolean({ description: 'Awarded by the registrar and shown on the transcript' }),
  badgesRequired,
  microCredentials: Type.Integer({ description: 'Offered micro-credentials that stack into it' }),
  url: Type.String(),
});

const PathwaySchema = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  level,
  credits: Type.Integer(),
  isTranscripted: Type.Boolean(),
  badgesRequired,
  url: Type.String(),
  microCredentials: Type.Array(
    Type.Object({
      slug: Type.String(),
      title: Type.String(),
      credits: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
      creditType: Type.Union([Type.Literal('credit'), Type.Literal('non_credit'), Type.Literal('hybrid')]),
      status: Type.Enum(OPEN_STATES),
      url: Type.String(),
    }),
    { description: 'Offered micro-credentials in the stack, in suggested order' },
  ),
  courses: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      credits: Type.Integer(),
      isRequired: Type.Boolean({ description: 'false: an elective' }),
    }),
  ),
  creditPlan: Type.Object(
    {
      microCredentials: Type.Integer({ description: 'At least this many credits come from the badges' }),
      requiredCourses: Type.Integer(),
      electives: Type.Integer({ description: 'Credits to choose from the electives' }),
      total: Type.Integer(),
      isReachable: Type.Boolean({ description: 'Whether what is offered now can make up the total' }),
    },
    { description: 'How the pieces add up to the total' },
  ),
});

const publicApiLimit = { max: 300, timeWindow: '1 minute' };

function presentSummary(c: CertificateEntry, publicUrl: string) {
  return {
    slug: c.slug,
    title: c.title,
    description: c.description,
    level: c.level,
    credits: c.creditsRequired,
    isTranscripted: c.isTranscripted,
    badgesRequired: c.badgesRequired,
    microCredentials: c.badgeCount ?? 0,
    url: `${publicUrl}/catalog/certificates/${c.slug}`,
  };
}

function presentPathway(p: Pathway, publicUrl: string) {
  return {
    slug: p.slug,
    title: p.title,
    description: p.description,
    outcome: p.outcome,
    level: p.level,
    credits: p.creditsRequired,
    isTranscripted: p.isTranscripted,
    badgesRequired: p.badgesRequired,
    url: `${publicUrl}/catalog/certificates/${p.slug}`,
    microCredentials: p.stack.map((b) => ({
      slug: b.slug,
      title: b.title,
      credits: { min: b.creditsMin, max: b.creditsMax },
      creditType: b.creditType,
      status: b.isPilot ? ('pilot' as const) : ('established' as const),
      url: `${publicUrl}/catalog/${b.slug}`,
    })),
    courses: p.courses,
    creditPlan: {
      microCredentials: p.plan.badgeCredits,
      requiredCourses: p.plan.requiredCourseCredits,
      electives: p.plan.electiveCredits,
      total: p.plan.total,
      isReachable: p.plan.isReachable,
    },
  };
}

/** Certificate pathway pages and their public JSON. Registered by the catalog's routes. */
export function registerCertificateRoutes(
  app: HttpServer,
  deps: {
    certificates: CertificatesService;
    institution: () => ReturnType<InstitutionService['get']>;
    publicUrl: string;
    pageContext: (r: FastifyRequest) => Promise<PageContext>;
  },
): void {
  const { certificates, pageContext, publicUrl } = deps;

  app.get(
    '/catalog/certificates',
    { config: { access: 'public', cache: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const list = await certificates.list();
      return sendPage(reply, CertificatesPage, { ctx: await pageContext(request), certificates: list });
    },
  );

  app.get(
    '/catalog/certificates/:slug',
    { config: { access: 'public', cache: 'public' }, schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const [pathway, institution, ctx] = await Promise.all([
        certificates.pathway(request.params.slug),
        deps.institution(),
        pageContext(request),
      ]);
      const personal = ctx.actor ? await certificates.standing(ctx.actor, pathway) : null;
      // The body now depends on who asks: no shared cache may keep it (the caching hook agrees; this is explicit).
      if (ctx.actor) reply.header('cache-control', 'private, no-cache').header('vary', 'Cookie');
      return sendPage(reply, PathwayPage, { ctx, pathway, personal, institution, publicUrl });
    },
  );

  app.get(
    '/api/certificates',
    {
      config: { access: 'public', cache: 'public', rateLimit: publicApiLimit },
      schema: {
        tags: ['catalog'],
        summary: 'Certificates that micro-credentials stack into',
        response: { 200: Type.Object({ certificates: Type.Array(CertificateSummary) }) },
      },
    },
    async () => ({ certificates: (await certificates.list()).map((c) => presentSummary(c, publicUrl)) }),
  );

  app.get(
    '/api/certificates/:slug',
    {
      config: { access: 'public', cache: 'public', rateLimit: publicApiLimit },
      schema: {
        tags: ['catalog'],
        summary: 'One certificate pathway: its micro-credentials, extra courses and credit total',
        params: SlugParams,
        response: { 200: PathwaySchema },
      },
    },
    async (request) => presentPathway(await certificates.pathway(request.params.slug), publicUrl),
  );
}
