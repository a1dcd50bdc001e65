import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { catalogRoles } from './catalog.policy.ts';
import type { AcademicStructureService } from './structure.service.ts';
import type { FailedForm } from './structure-parts.tsx';

/** What the academic-structure screens need. */
export interface StructureDeps {
  structure: AcademicStructureService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

export const viewing = { access: catalogRoles.view_structure };
export const changing = { access: catalogRoles.change_structure };
export const Csrf = { _csrf: Type.Optional(Type.String()) };
// Shapes and lengths are checked by the service, which names the field and the reason.
export const Text = Type.Optional(Type.String({ maxLength: 2000 }));
export const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
export const DepartmentBody = Type.Object({ code: Text, name: Text, head: Text, ...Csrf });
export const TermBody = Type.Object({ code: Text, name: Text, startsOn: Text, endsOn: Text, ...Csrf });
export const CourseBody = Type.Object({
  subject: Text,
  number: Text,
  title: Text,
  credits: Text,
  department: Text,
  level: Text,
  ...Csrf,
});

/** The screens whose notices these are: an added record is named by its kind ("The term is added."). */
export type StructureKind = 'departments' | 'terms' | 'courses';
const addedNotice: Record<StructureKind, string> = {
  departments: 'The department is added.',
  terms: 'The term is added.',
  courses: 'The course is added.',
};
const notices: Record<string, string> = {
  updated: 'The changes are saved.',
  unchanged: 'Nothing had changed, so nothing was saved.',
  imported: 'The file is imported.',
  confirmed: 'The course is confirmed.',
  deactivated: 'The course is deactivated.',
  reactivated: 'The course is in use again.',
};
const doneOf: Record<string, string> = { create: 'created', update: 'updated', unchanged: 'unchanged' };
export const noticeOf = (done: string | undefined, kind: StructureKind) =>
  done === 'created' ? addedNotice[kind] : done ? notices[done] : undefined;
export const isFormProblem = (error: unknown): error is AppError =>
  error instanceof AppError && error.code === 'VALIDATION_FAILED';

/** Form values without the CSRF token, as strings, to show again. */
export function valuesOf(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (key !== '_csrf') values[key] = String(value ?? '');
  return values;
}

/**
 * Saves one form and goes `back` with a notice; a refused one is drawn again by `again`, with the values typed
 * and the problems beside their fields.
 */
export async function saveForm(
  request: FastifyRequest,
  reply: FastifyReply,
  back: string,
  work: () => Promise<string>,
  again: (failed: FailedForm) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  try {
    const outcome = await work();
    return reply.redirect(`${back}?done=${doneOf[outcome] ?? 'updated'}`, 303);
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    reply.status(error.status);
    return again({ values: valuesOf(request.body as Record<string, unknown>), errors: error.fields });
  }
}
