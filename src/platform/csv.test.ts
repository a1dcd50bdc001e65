import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField, readCsv, toCsv } from './csv.ts';

describe('CSV writing', () => {
  test('plain text and numbers are written as they are', () => {
    assert.equal(csvField('Amara Chen'), 'Amara Chen');
    assert.equal(csvField(42), '42');
    assert.equal(csvField(null), '');
  });

  test('commas, quotes and line breaks are quoted, with inner quotes doubled', () => {
    assert.equal(csvField('Chen, Amara'), '"Chen, Amara"');
    assert.equal(csvField('the "quick" one'), '"the ""quick"" one"');
    assert.equal(csvField('line one\nline two'), '"line one\nline two"');
  });

  test('cells a spreadsheet would run as a formula are defused', () => {
    assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@me'), "'@me");
  });

  test('rows end in CRLF', () => {
    assert.equal(
      toCsv([
        ['a', 'b'],
        [1, 'x,y'],
      ]),
      'a,b\r\n1,"x,y"\r\n',
    );
  });
});

describe('CSV reading', () => {
  test('each record carries the line it starts on, counting line breaks as an editor does', () => {
    const text = [
      'name,note',
      '"Amara","two\r\nlines"', // lines 2–3: a CRLF inside quotes is one line break, not two
      '',
      'Ben,plain', // line 5, after a blank line
      '"Chen","lone\rreturn\nand feed"', // lines 6–8
      'Dara,last', // line 9
    ].join('\n');
    assert.deepEqual(
      readCsv(text).map((r) => [r.fields[0], r.line]),
      [
        ['name', 1],
        ['Amara', 2],
        ['Ben', 5],
        ['Chen', 6],
        ['Dara', 9],
      ],
    );
  });

  test('a CRLF file numbers its lines the same way', () => {
    const text = 'name,note\r\n"Amara","a\r\nb"\r\nBen,c\r\n';
    assert.deepEqual(
      readCsv(text).map((r) => r.line),
      [1, 2, 4],
    );
  });
});
