import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField, toCsv } from './csv.ts';

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
