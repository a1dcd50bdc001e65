import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { CatalogFilter } from './catalog.repository.ts';
import type { CatalogService } from './catalog.service.ts';
import { CatalogPage, ProgramPage } from './catalog.views.tsx';
import { registerCertificateApiRoutes } from './certificate-api.routes.ts';
import { registerCertificateEditorRoutes } from './certificate-editor.routes.ts';
import type { CertificateEditorService } from './certificate-editor.service.ts';
import { registerCertificateRoutes } from './certificates.routes.ts';

const empty = Type.Literal('');
const FilterQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  level: Type.Optional(Type.Union([Type.Literal('undergraduate'), Type.Literal('graduate'), empty])),
  creditType: Type.Optional(
    Type.Union([Type.Literal('credit'), Type.Literal('non_credit'), Type.Literal('hybrid'), empty]),
  ),
  department: Type.Optional(Type.String({ maxLength: 20 })),
  skill: Type.Optional(Type.String({ maxLength: 200 })),
  maxCredits: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), empty])),
});
const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }),
});

/** Blank form fields mean "no filter". */
function toFilter(query: Record<string, unknown>): CatalogFilter {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  return {
    q: text(query.q),
    level: text(query.level) as CatalogFilter['level'],
    creditType: text(query.creditType) as CatalogFilter['creditType'],
    department: text(query.department),
    skill: text(query.skill),
    maxCredits: typeof query.maxCredits === 'number' ? query.maxCredits : undefined,
  };
}

const publicApiLimit = { max: 300, timeWindow: '1 minute' };

export function registerCatalogRoutes(
  app: HttpServer,
  deps: {
    catalog: CatalogService;
    certificateEditor: CertificateEditorService;
    publicUrl: string;
    pageContext: (r: FastifyRequest) => Promise<PageContext>;
  },
): void {
  const { catalog, pageContext, publicUrl } = deps;
  registerCertificateRoutes(app, {
    certificates: catalog.certificates,
    institution: () => catalog.institutionProfile(),
    publicUrl,
    pageContext,
  });
  registerCertificateEditorRoutes(app, { editor: deps.certificateEditor, pageContext });
  registerCertificateApiRoutes(app, { editor: deps.certificateEditor });

  app.get(
    '/catalog',
    { config: { access: 'public', cache: 'public' }, schema: { hide: true, querystring: FilterQuery } },
    async (request, reply) => {
      const filter = toFilter(request.query);
      const { programs, facets } = await catalog.search(filter, request.actor);
      return sendPage(reply, CatalogPage, { ctx: await pageContext(request), filter, programs, facets });
    },
  );

  app.get(
    '/catalog/:slug',
    { config: { access: 'public', cache: 'public' }, schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const [{ program, joined }, institution] = await Promise.all([
        catalog.programPageFor(request.actor, request.params.slug),
        catalog.institutionProfile(),
      ]);
      return sendPage(reply, ProgramPage, {
        ctx: await pageContext(request),
        program,
        joined,
        institution,
        publicUrl,
      });
    },
  );

  app.get(
    '/api/catalog',
    {
      config: { access: 'public', cache: 'public', rateLimit: publicApiLimit },
      schema: {
        tags: ['catalog'],
        summary: 'Search the offered micro-credentials',
        querystring: FilterQuery,
      },
    },
    async (request) => {
      const { programs } = await catalog.search(toFilter(request.query));
      return {
        programs: programs.map((p) => ({
          slug: p.slug,
          title: p.title,
          summary: p.summary,
          level: p.level,
          creditType: p.creditType,
          credits: { min: p.creditsMin, max: p.creditsMax },
          department: p.department,
          status: p.status,
          url: `${publicUrl}/catalog/${p.slug}`,
        })),
      };
    },
  );

  app.get(
    '/api/catalog/:slug',
    {
      config: { access: 'public', cache: 'public', rateLimit: publicApiLimit },
      schema: {
        tags: ['catalog'],
        summary: 'One micro-credential, as on its public page',
        params: SlugParams,
      },
    },
    async (request) => {
      const p = await catalog.programPage(request.params.slug);
      return {
        ...p,
        url: `${publicUrl}/catalog/${p.slug}`,
        status: p.isRetired ? 'retired' : p.isPilot ? 'pilot' : 'established',
      };
    },
  );

  app.get(
    '/sitemap.xml',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      const [entries, certificates] = await Promise.all([catalog.sitemap(), catalog.certificates.sitemap()]);
      const url = (loc: string, lastmod?: Date) =>
        `<url><loc>${publicUrl}${loc}</loc>${lastmod ? `<lastmod>${lastmod.toISOString().slice(0, 10)}</lastmod>` : ''}</url>`;
      const body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        url('/'),
        url('/catalog'),
        url('/verify'),
        ...entries.map((e) => url(`/catalog/${e.slug}`, e.updatedAt)),
        url('/catalog/certificates'),
        ...certificates.map((c) => url(`/catalog/certificates/${c.slug}`, c.updatedAt)),
        '</urlset>',
      ].join('\n');
      return reply
        .type('application/xml; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(body);
    },
  );

  app.get('/robots.txt', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(`User-agent: *\nDisallow: /admin/\nDisallow: /home\nSitemap: ${publicUrl}/sitemap.xml\n`),
  );
}
