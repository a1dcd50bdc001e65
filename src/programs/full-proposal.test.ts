import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { aDocx, anOdt, aPdf, aZip } from '../../test/support/full-proposals.ts';
import {
  checkDocument,
  cleanAnswers,
  evidenceDraft,
  fullProposalSectionNames,
  maxDocumentBytes,
  sniffDocument,
  submitProblems,
} from './full-proposal.ts';

const upload = (filename: string, content: Uint8Array, truncated = false) => ({
  filename,
  content,
  truncated,
});

describe('the full proposal core', () => {
  test('documents are recognised by their bytes, whatever they are called', async () => {
    assert.equal(sniffDocument(await aPdf()), 'pdf');
    assert.equal(sniffDocument(aDocx()), 'docx');
    assert.equal(sniffDocument(anOdt()), 'odt');
    // A ZIP that is neither (a spreadsheet's parts, say) and things that merely start like one are refused.
    assert.equal(sniffDocument(aZip([['xl/workbook.xml', '<x/>']])), undefined);
    assert.equal(sniffDocument(Buffer.from('PK\u0003\u0004 and then nothing a ZIP would have')), undefined);
    assert.equal(sniffDocument(Buffer.from('<html><script>alert(1)</script></html>')), undefined);
  });

  test('a stored name carries the extension of what the file really is', async () => {
    const named = checkDocument(upload('../../Proposal "final".txt', await aPdf()));
    assert.ok(named.ok);
    assert.equal(named.document.filename, 'Proposal final.pdf');
    assert.equal(named.document.contentType, 'application/pdf');
    const docx = checkDocument(upload('plan.pdf', aDocx()));
    assert.ok(docx.ok);
    assert.equal(docx.document.filename, 'plan.docx');
  });

  test('empty, too large, missing and unknown files are refused with the reason', () => {
    const reason = (result: ReturnType<typeof checkDocument>) =>
      result.ok ? 'accepted' : result.problem.reason;
    assert.match(reason(checkDocument(upload('a.pdf', new Uint8Array()))), /empty file/);
    assert.match(reason(checkDocument(undefined)), /choose a file/);
    assert.match(reason(checkDocument(upload('a.pdf', Buffer.from('%PDF-1.7'), true))), /at most 10 MB/);
    assert.match(
      reason(checkDocument(upload('a.pdf', Buffer.alloc(maxDocumentBytes + 1, 0x25)))),
      /at most 10 MB/,
    );
    assert.match(reason(checkDocument(upload('a.pdf', Buffer.from('GIF89a')))), /PDF, Word/);
  });

  test('sniffing never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, asZip) => {
        const content = asZip ? Buffer.concat([Buffer.from('PK\u0003\u0004'), bytes]) : bytes;
        const kind = sniffDocument(content);
        assert.ok(kind === undefined || ['pdf', 'docx', 'odt'].includes(kind));
      }),
    );
  });

  test('submitting needs every section and a document; a draft needs neither', () => {
    const empty = cleanAnswers({});
    const problems = submitProblems(empty, 0).map((p) => p.field);
    assert.deepEqual(problems, [...fullProposalSectionNames, 'document']);
    const full = cleanAnswers(Object.fromEntries(fullProposalSectionNames.map((n) => [n, ' said '])));
    assert.deepEqual(submitProblems(full, 1), []);
    assert.deepEqual(
      submitProblems({ ...full, resources: '   '.trim() }, 1).map((p) => p.field),
      ['resources'],
    );
  });

  test('the evidence draft says the figures in words', () => {
    const text = evidenceDraft(
      { newEnrolments: 1, activeEnrolments: 0, completedEnrolments: 3, courseCompletions: 7 },
      'September 1, 2024',
      'October 6, 2026',
    );
    assert.match(text, /1 learner enrolled, 3 completed the program and 0 are still in progress/);
    assert.match(text, /7 course completions were recorded/);
  });
});
