import { crc32 } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { Actor } from '../../src/platform/actor.ts';
import type { TestApp } from './test-app.ts';

/** A small but real one-page PDF, made with the same library the product prints with. */
export function aPdf(text = 'Full proposal'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: text } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

/** Answers to every section of a full proposal. */
export const fullProposalAnswers = (mark = '') => ({
  pilot_outcome: `Three pilot years went well${mark}.`,
  enrolment_evidence: 'Forty learners enrolled; twenty-six completed.',
  proposed_changes: 'None.',
  resources: 'Two lecturers and a part-time coordinator, funded by the school.',
  assessment_plan: 'A capstone portfolio marked against the outcomes, reviewed yearly.',
});

/** Makes a pilot's full proposal complete (every section, one PDF), as its lead would, ready to submit. */
export async function completeFullProposal(app: TestApp, lead: Actor, programId: string): Promise<void> {
  const fullProposals = app.services.programs.fullProposals;
  await fullProposals.saveDraft(lead, programId, fullProposalAnswers());
  await fullProposals.uploadDocument(lead, programId, {
    filename: 'full-proposal.pdf',
    content: await aPdf(),
    truncated: false,
  });
}

/** A ZIP archive of stored (uncompressed) entries, in the given order: enough to build a DOCX or ODT's shape. */
export function aZip(entries: readonly [name: string, content: string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal Word document's parts. */
export const aDocx = () =>
  aZip([
    ['[Content_Types].xml', '<?xml version="1.0"?><Types/>'],
    ['word/document.xml', '<?xml version="1.0"?><w:document/>'],
  ]);

/** A minimal OpenDocument text: its type first, uncompressed, as the format requires. */
export const anOdt = () =>
  aZip([
    ['mimetype', 'application/vnd.oasis.opendocument.text'],
    ['content.xml', '<?xml version="1.0"?><office:document-content/>'],
  ]);
