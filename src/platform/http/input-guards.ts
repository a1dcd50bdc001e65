import type { FastifyInstance } from 'fastify';
import { AppError, type FieldProblem } from '../errors.ts';
import { isKnownNulFree } from './json-body.ts';

const NUL = '\u0000';
const REASON = 'must not contain a NUL character (%00)';

/**
 * Paths (`query.q`, `body.roles.1`) of every string in `value` that holds a NUL; buffers (uploads) are skipped. The
 * path is kept as a list of steps and written out only for a NUL found: every API body (a whole credential) passes
 * through here, and nearly none has one.
 */
function nulFields(value: unknown, path: string[], found: FieldProblem[], depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ field: path.join('.'), reason: REASON });
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      path.push(String(index));
      nulFields(value[index], path, found, depth + 1);
      path.pop();
    }
  } else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && depth < 16) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (key.includes(NUL))
        found.push({ field: path.join('.'), reason: 'must not have a field name with a NUL character' });
      path.push(key);
      nulFields((value as Record<string, unknown>)[key], path, found, depth + 1);
      path.pop();
    }
  }
}

/**
 * Refuses any request whose query, path or parsed body holds a NUL character. No text the university keeps can
 * contain one, and PostgreSQL refuses it in text values with an error that used to surface as a 500; a clear
 * 400 naming the field is the honest answer, before any route sees the value.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found: FieldProblem[] = [];
    nulFields(request.query, ['query'], found);
    nulFields(request.params, ['params'], found);
    // A body parseJsonBody has vouched for is not walked: on the verification API that walk is a whole credential.
    if (!isKnownNulFree(request.body)) nulFields(request.body, ['body'], found);
    if (found.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'The request holds a NUL character (%00), which is never valid here.',
        found,
      );
    }
  });
}
