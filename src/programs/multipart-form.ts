import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { FormValues } from './program-form.ts';
import { maxProposalFileBytes, type UploadedFile } from './proposal-files.ts';

const fileFields = new Set(['syllabus', 'mou']);

/**
 * Reads a multipart form into its text fields and its syllabus/MOU files. A file past the size limit is
 * kept as `truncated` (not an exception) so the form can be shown again with a message beside that field.
 */
export async function readMultipartForm(
  request: FastifyRequest,
): Promise<{ values: FormValues; files: UploadedFile[] }> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA', 'This form must be sent as multipart/form-data.');
  }
  const values: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  const parts = request.parts({
    limits: { fileSize: maxProposalFileBytes, files: 4, fields: 100, fieldSize: 256 * 1024, parts: 110 },
    // Accepted at run time by @fastify/multipart, though its types leave it out of the per-call options.
    throwFileSizeLimit: false,
  } as Parameters<FastifyRequest['parts']>[0]);
  for await (const part of parts) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      if (!fileFields.has(part.fieldname)) continue;
      files.push({
        field: part.fieldname as UploadedFile['field'],
        filename: part.filename ?? '',
        content,
        truncated: part.file.truncated,
      });
      continue;
    }
    if (part.valueTruncated) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The field "${part.fieldname}" is longer than this form accepts.`,
      );
    }
    const value = String(part.value ?? '');
    const previous = values[part.fieldname];
    if (previous === undefined) values[part.fieldname] = value;
    else values[part.fieldname] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return { values, files };
}
