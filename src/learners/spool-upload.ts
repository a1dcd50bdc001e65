import { AppError } from '../platform/errors.ts';
import { type SpooledFile, spoolUpload as spool } from '../platform/spool-upload.ts';

/** The largest completions file accepted: far above a 100,000-row extract (about 5 MB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A whole-file refusal; `reason` finishes the sentence "The file was not imported: …". */
export function refuseFile(
  reason: string,
  code: 'VALIDATION_FAILED' | 'PAYLOAD_TOO_LARGE' = 'VALIDATION_FAILED',
) {
  return new AppError(code, `The file was not imported: ${reason}.`, [{ field: 'file', reason }]);
}

/** A completions file copied to a temporary file, checked as UTF-8 text within the import's size limit. */
export function spoolUpload(source: AsyncIterable<Uint8Array | string>): Promise<SpooledFile> {
  return spool(source, { maxBytes: MAX_IMPORT_BYTES, refuse: refuseFile });
}
