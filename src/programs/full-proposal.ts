/**
 * The post-pilot full proposal as a pure core: its sections (the headings the university's process asks a
 * pilot to answer before it is made permanent), what makes it complete enough to submit, and how an uploaded
 * document is recognised from its bytes. No I/O: the service reads and writes, this decides.
 */
import { createHash } from 'node:crypto';
import type { FieldProblem } from '../platform/errors.ts';

export const fullProposalSectionNames = [
  'pilot_outcome',
  'enrolment_evidence',
  'proposed_changes',
  'resources',
  'assessment_plan',
] as const;

export type FullProposalSectionName = (typeof fullProposalSectionNames)[number];
export type FullProposalAnswers = Record<FullProposalSectionName, string>;

export interface FullProposalSection {
  name: FullProposalSectionName;
  label: string;
  hint: string;
}

/** The sections in the order the form and the decision screen show them; every one is needed to submit. */
export const fullProposalSections: readonly FullProposalSection[] = [
  {
    name: 'pilot_outcome',
    label: 'Summary of the pilot’s outcome',
    hint: 'What the pilot years showed: what worked, what did not, and why the program should continue.',
  },
  {
    name: 'enrolment_evidence',
    label: 'Enrolment and completion evidence',
    hint: 'How many learners enrolled and completed, and what the figures say. Pre-filled from the records; edit it freely.',
  },
  {
    name: 'proposed_changes',
    label: 'Changes proposed for the established program',
    hint: 'Courses, requirements, fee or delivery you would change once it is established; write “None” if nothing.',
  },
  {
    name: 'resources',
    label: 'Resources',
    hint: 'Teaching staff, support and budget the established program needs, and who provides them.',
  },
  {
    name: 'assessment_plan',
    label: 'Assessment plan',
    hint: 'How learners’ achievement of the outcomes will be assessed and how the program itself will be reviewed.',
  },
];

/** Longest answer kept for one section. */
export const maxSectionLength = 20_000;

/** Largest document accepted, in bytes (10 MB). */
export const maxDocumentBytes = 10 * 1024 * 1024;

/** How many documents one full proposal may carry. */
export const maxDocuments = 10;

/** Trims each answer; anything not a section is dropped. */
export function cleanAnswers(raw: Partial<Record<string, unknown>>): FullProposalAnswers {
  return Object.fromEntries(
    fullProposalSectionNames.map((name) => {
      const value = raw[name];
      return [name, typeof value === 'string' ? value.trim() : ''];
    }),
  ) as FullProposalAnswers;
}

/** Problems that stop a draft being saved at all: only answers past the length limit. */
export function draftProblems(answers: FullProposalAnswers): FieldProblem[] {
  return fullProposalSectionNames.flatMap((name) =>
    answers[name].length > maxSectionLength
      ? [{ field: name, reason: `must be at most ${maxSectionLength} characters` }]
      : [],
  );
}

/**
 * What is still missing before the full proposal can be submitted: every section answered, and at least one
 * document (the proposal itself, as the governing bodies will circulate it).
 */
export function submitProblems(answers: FullProposalAnswers, documentCount: number): FieldProblem[] {
  const problems: FieldProblem[] = [...draftProblems(answers)];
  for (const name of fullProposalSectionNames) {
    if (answers[name] === '')
      problems.push({ field: name, reason: 'is required to submit the full proposal' });
  }
  if (documentCount < 1) {
    problems.push({
      field: 'document',
      reason: 'is required: upload the full proposal document (PDF, DOCX or ODT) before submitting',
    });
  }
  return problems;
}

/** The enrolment counts the evidence section is pre-filled from. */
export interface PilotFigures {
  newEnrolments: number;
  activeEnrolments: number;
  completedEnrolments: number;
  courseCompletions: number;
}

/** A first draft of the evidence section, in words, from the pilot's figures since it started. */
export function evidenceDraft(figures: PilotFigures, since: string, asOf: string): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    `From ${since} to ${asOf}: ${plural(figures.newEnrolments, 'learner enrolled', 'learners enrolled')}, ` +
      `${plural(figures.completedEnrolments, 'completed the program', 'completed the program')} and ` +
      `${plural(figures.activeEnrolments, 'is still in progress', 'are still in progress')}.`,
    `${plural(figures.courseCompletions, 'course completion was', 'course completions were')} recorded for the program's courses.`,
  ].join(' ');
}

// ---- documents ----------------------------------------------------------------------------------------------

export type DocumentKind = 'pdf' | 'docx' | 'odt';

export const documentTypes: Readonly<Record<DocumentKind, { contentType: string; extension: string }>> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  odt: { contentType: 'application/vnd.oasis.opendocument.text', extension: 'odt' },
};

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', from, to);

const ODT_MIME = 'application/vnd.oasis.opendocument.text';

/** Names of the entries in a ZIP file's central directory, or undefined when it is not a readable ZIP. */
function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of at most 65,535.
  const lowest = Math.max(0, view.length - 22 - 0xffff);
  let end = -1;
  for (let at = view.length - 22; at >= lowest; at--) {
    if (view.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.readUInt16LE(end + 10);
  let at = view.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.length || view.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLength = view.readUInt16LE(at + 28);
    const extraLength = view.readUInt16LE(at + 30);
    const commentLength = view.readUInt16LE(at + 32);
    if (at + 46 + nameLength > view.length) return undefined;
    names.push(view.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * What kind of document these bytes are, by their content alone: a PDF by its header, an ODT by the `mimetype`
 * entry its format puts first in the ZIP, a DOCX by the Word parts its ZIP lists. Anything else is undefined.
 */
export function sniffDocument(bytes: Uint8Array): DocumentKind | undefined {
  if (bytes.byteLength >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (bytes.byteLength < 30 || ascii(bytes, 0, 4) !== 'PK\u0003\u0004') return undefined;
  // An OpenDocument file starts with an uncompressed entry named "mimetype" holding its type.
  if (ascii(bytes, 30, 38) === 'mimetype' && ascii(bytes, 38, 38 + ODT_MIME.length) === ODT_MIME) {
    return zipEntryNames(bytes)?.includes('content.xml') ? 'odt' : undefined;
  }
  const names = zipEntryNames(bytes);
  if (names?.includes('[Content_Types].xml') && names.includes('word/document.xml')) return 'docx';
  return undefined;
}

/** A document that passed the checks, ready to store. */
export interface AcceptedDocument {
  filename: string;
  contentType: string;
  content: Uint8Array;
  sha256: string;
}

/** Keeps the base name only, without characters that could break a download header. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((c) => c >= ' ' && c !== '\u007f' && c !== '"').join('');
  return printable.trim().slice(0, 200);
}

/**
 * Checks one uploaded document: not empty, within the size limit, and a PDF, DOCX or ODT by its bytes. The
 * stored name ends with the extension of what the file really is, so a download opens in the right program.
 */
export function checkDocument(
  upload: { filename: string; content: Uint8Array; truncated: boolean } | undefined,
): { ok: true; document: AcceptedDocument } | { ok: false; problem: FieldProblem } {
  const refuse = (reason: string) => ({ ok: false as const, problem: { field: 'document', reason } });
  if (!upload || (upload.filename === '' && upload.content.byteLength === 0)) {
    return refuse('is required: choose a file to upload');
  }
  if (upload.truncated || upload.content.byteLength > maxDocumentBytes) {
    return refuse(`must be at most ${maxDocumentBytes / (1024 * 1024)} MB`);
  }
  if (upload.content.byteLength === 0) return refuse('is an empty file');
  const kind = sniffDocument(upload.content);
  if (!kind) return refuse('must be a PDF, Word (DOCX) or OpenDocument text (ODT) file');
  const { contentType, extension } = documentTypes[kind];
  const cleaned = cleanFilename(upload.filename);
  const stem = cleaned.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'full-proposal';
  return {
    ok: true,
    document: {
      filename: `${stem}.${extension}`,
      contentType,
      content: upload.content,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
    },
  };
}
