import { type TSchema, Type } from 'typebox';
import type { HttpServer } from '../platform/http/server.ts';
import { type CatalogAction, catalogRoles } from './catalog.policy.ts';
import type { AcademicStructureService, StructurePreview } from './structure.service.ts';
import type { StructureKind } from './structure-import-file.ts';

const MAX_ITEMS = 5000;
const Str = (description: string, maxLength = 200) => Type.String({ maxLength, description });
const Day = (description: string) =>
  Type.String({ maxLength: 40, description: `${description} (YYYY-MM-DD)` });
// Every field is optional to the schema: a missing one is reported by the service as "is required" for its item
// (422, with the item's index), like every other rule, rather than as a 400 for the whole request.
const Needed = <T extends TSchema>(schema: T) => Type.Optional(schema);

const Department = Type.Object({
  code: Needed(Str('Department code, such as COMM', 40)),
  name: Needed(Str('Name')),
  head: Type.Optional(
    Type.Union([Str('E-mail address of the head, who has an account here', 254), Type.Null()]),
  ),
});
const Term = Type.Object({
  code: Needed(Str('Term code as the student system writes it, such as 202510', 40)),
  name: Needed(Str('Name, such as Fall 2025')),
  startsOn: Needed(Day('First day')),
  endsOn: Needed(Day('Last day, after the first')),
});
const Course = Type.Object({
  subject: Needed(Str('Subject, such as COMM', 20)),
  number: Needed(Str('Catalog number, such as 330', 20)),
  title: Needed(Str('Title')),
  credits: Needed(
    Type.Union([
      Type.Number({ description: 'Whole credits, 0 to 30' }),
      Str('Whole credits, such as 3 or 3.000', 10),
    ]),
  ),
  department: Needed(Str('Department code; the department must exist', 40)),
  level: Type.Optional(Str('undergraduate or graduate (UG, GR, UGRD, GRAD accepted)', 20)),
  active: Type.Optional(Type.Union([Type.Boolean(), Str('yes/no or A/I', 10)])),
});

const Problem = Type.Object({ field: Type.String(), reason: Type.String() });
const Outcomes = Type.Object({
  create: Type.Integer(),
  update: Type.Integer(),
  unchanged: Type.Integer(),
  error: Type.Integer(),
});
const Result = Type.Object({
  dryRun: Type.Boolean({ description: 'True when nothing was written' }),
  counts: Outcomes,
  items: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'Position in the request (0 for a single object)' }),
      key: Type.String(),
      outcome: Type.Union([
        Type.Literal('create'),
        Type.Literal('update'),
        Type.Literal('unchanged'),
        Type.Literal('error'),
      ]),
      changes: Type.Array(Type.String()),
      problems: Type.Array(Problem),
    }),
  ),
});

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words in the code, title or department' })),
  status: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('confirmed')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

/**
 * Who may call each route, in one place per route so that another way of signing in (OAuth clients with scopes
 * such as `courses:write`) can be added here without touching the handlers.
 */
const gate = (action: CatalogAction) => ({ access: catalogRoles[action] });

const present = (result: StructurePreview, dryRun: boolean) => ({
  dryRun,
  counts: result.counts,
  items: result.rows.map((r) => ({
    index: r.position,
    key: r.key,
    outcome: r.outcome,
    changes: r.changes,
    problems: r.problems,
  })),
});

/** The academic structure as JSON: lists, and upserts of one record or many (`?dryRun=true` to preview). */
export function registerStructureApiRoutes(
  app: HttpServer,
  { structure }: { structure: AcademicStructureService },
) {
  const upsert = (kind: StructureKind, Item: TSchema, noun: string) =>
    app.post(
      `/api/${kind}`,
      {
        config: gate('change_structure'),
        bodyLimit: 5 * 1024 * 1024,
        schema: {
          tags: ['Academic structure'],
          summary: `Create or update ${noun}`,
          description:
            `One object or an array of up to ${MAX_ITEMS}, matched by code; existing records are updated, others ` +
            'created, and sending the same again changes nothing. All are written in one transaction, or none: ' +
            'a record that breaks a rule gives 422 with each problem named by its index and field ' +
            '(`[2].credits`). With `dryRun=true` nothing is written and the outcome of every item is returned.',
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          body: Type.Union([Item, Type.Array(Item, { minItems: 1, maxItems: MAX_ITEMS })]),
          response: { 200: Result },
        },
      },
      async (request) => {
        const body = request.body as Record<string, unknown> | Record<string, unknown>[];
        const isArray = Array.isArray(body);
        const rows = (isArray ? body : [body]).map((values, position) => ({ position, values }));
        const dryRun = (request.query as { dryRun?: boolean }).dryRun === true;
        const result = dryRun
          ? await structure.preview(request.actor!, kind, rows)
          : await structure.applyBatch(request.actor!, kind, rows, (index) =>
              isArray ? { prefix: `[${index}].`, index } : { prefix: '' },
            );
        return present(result, dryRun);
      },
    );

  const common = { tags: ['Academic structure'] };
  app.get(
    '/api/departments',
    { config: gate('view_structure'), schema: { ...common, summary: 'List the departments' } },
    async (request) => {
      const { departments } = await structure.departments(request.actor!);
      return {
        departments: departments.map((d) => ({ code: d.code, name: d.name, head: d.headEmail ?? null })),
      };
    },
  );
  app.get(
    '/api/terms',
    { config: gate('view_structure'), schema: { ...common, summary: 'List the terms, newest first' } },
    async (request) => ({ terms: (await structure.terms(request.actor!)).terms }),
  );
  app.get(
    '/api/courses',
    {
      config: gate('view_structure'),
      schema: { ...common, summary: 'Find courses, 25 a page', querystring: ListQuery },
    },
    async (request) => {
      const list = await structure.courses(request.actor!, request.query);
      return {
        total: list.total,
        page: list.page,
        pageCount: list.pageCount,
        courses: list.courses.map((c) => ({
          code: c.code,
          subject: c.subject,
          number: c.number,
          title: c.title,
          credits: c.credits,
          level: c.level,
          department: c.departmentCode,
          active: c.isActive,
          status: c.status,
        })),
      };
    },
  );
  upsert('departments', Department, 'departments');
  upsert('terms', Term, 'terms');
  upsert('courses', Course, 'courses');
}
