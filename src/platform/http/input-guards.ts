import type { FastifyInstance } from 'fastify';
import { AppError, type FieldProblem } from '../errors.ts';

const NUL = '\u0000';
const REASON = 'must not contain a NUL character (%00)';

/** Paths (`query.q`, `body.roles.1`) of every string in `value` that holds a NUL; buffers (uploads) are skipped. */
function nulFields(value: unknown, path: string, found: FieldProblem[], depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ field: path, reason: REASON });
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) nulFields(item, `${path}.${index}`, found, depth + 1);
  } else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && depth < 16) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL))
        found.push({ field: path, reason: 'must not have a field name with a NUL character' });
      nulFields(item, `${path}.${key}`, found, depth + 1);
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
    nulFields(request.query, 'query', found);
    nulFields(request.params, 'params', found);
    nulFields(request.body, 'body', found);
    if (found.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'The request holds a NUL character (%00), which is never valid here.',
        found,
      );
    }
  });
}
