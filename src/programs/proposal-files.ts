import { createHash } from 'node:crypto';
import type { FieldProblem } from '../platform/errors.ts';
import type { ProposalFileKind } from './programs.tables.ts';

/** Largest syllabus or MOU accepted, in bytes (10 MB). */
export const maxProposalFileBytes = 10 * 1024 * 1024;

/** A file as it arrived in a form post, before any checks. */
export interface UploadedFile {
  field: ProposalFileKind;
  filename: string;
  content: Uint8Array;
  /** The upload went past the size limit and was cut off. */
  truncated: boolean;
}

/** A file that passed the checks, ready to store. */
export interface AcceptedFile {
  kind: ProposalFileKind;
  filename: string;
  contentType: string;
  content: Uint8Array;
  sha256: string;
}

// The type stored and sent back is decided by the extension, never by what the browser claimed.
const typesByExtension: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export const acceptedExtensions = Object.keys(typesByExtension);

export const proposalFileLabels: Readonly<Record<ProposalFileKind, string>> = {
  syllabus: 'Syllabus',
  mou: 'Memorandum of understanding (MOU)',
};

/** Keeps the base name only and drops characters that could break a download header. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters (below space, and DEL) and quotes are dropped.
  const printable = [...base].filter((c) => c >= ' ' && c !== '\u007f' && c !== '"').join('');
  return printable.trim().slice(0, 255);
}

/** Checks uploaded files (type, size, not empty); an empty file input means "no new file" and is skipped. */
export function acceptFiles(files: readonly UploadedFile[]): {
  accepted: AcceptedFile[];
  problems: FieldProblem[];
} {
  const accepted: AcceptedFile[] = [];
  const problems: FieldProblem[] = [];
  for (const file of files) {
    const filename = cleanFilename(file.filename);
    if (filename === '' && file.content.byteLength === 0) continue;
    const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
    const contentType = typesByExtension[extension];
    if (file.truncated || file.content.byteLength > maxProposalFileBytes) {
      problems.push({ field: file.field, reason: 'must be at most 10 MB' });
    } else if (file.content.byteLength === 0) {
      problems.push({ field: file.field, reason: 'is an empty file' });
    } else if (contentType === undefined) {
      problems.push({
        field: file.field,
        reason: `must be one of these kinds of file: ${acceptedExtensions.map((e) => `.${e}`).join(', ')}`,
      });
    } else {
      accepted.push({
        kind: file.field,
        filename,
        contentType,
        content: file.content,
        sha256: createHash('sha256').update(file.content).digest('hex'),
      });
    }
  }
  return { accepted, problems };
}
