import assert from 'node:assert/strict';
import { test } from 'node:test';
import { framedMailHtml, mailHtml, mailText } from './mail-layout.ts';

const base = {
  greeting: 'Dear <Sam> & co,',
  paragraphs: ['One.', 'Two.'],
  action: { label: 'Go', url: 'https://u/x?a=1&b=2' },
};

test('values are text, never markup', () => {
  const html = mailHtml({ ...base, quote: '<script>x()</script>' });
  assert.ok(html.includes('<p>Dear &lt;Sam> &amp; co,</p>'));
  assert.ok(html.includes('&lt;script>x()&lt;/script>'));
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('href="https://u/x?a=1&amp;b=2"'));
});

test('the quotation, the closing line and the small print appear only when given, in that order', () => {
  const bare = mailHtml(base);
  assert.ok(!bare.includes('<blockquote'));
  const full = mailHtml({ ...base, quote: 'Q', after: 'After.', footnote: 'Small.' });
  const at = (text: string) => full.indexOf(text);
  assert.ok(at('Two.') < at('>Q</blockquote>') && at('Q<') < at('After.') && at('After.') < at('>Go</a>'));
  assert.ok(at('>Go</a>') < at('Small.'));
});

test('an informing message links in the text; one that asks to act shows a button', () => {
  assert.match(mailHtml(base), /<a href="[^"]*" style="display: inline-block;/);
  assert.match(
    mailHtml({ ...base, action: { ...base.action, as: 'link' } }),
    /<a href="[^"]*" style="color: #0b4f6c; font-weight: bold">/,
  );
});

test('staff-written HTML sits in the same frame as our own mail', () => {
  const frameOf = (html: string) => html.slice(0, html.indexOf('>') + 1);
  assert.equal(frameOf(framedMailHtml('<p>Hi</p>')), frameOf(mailHtml(base)));
  assert.ok(framedMailHtml('<p>Hi</p>').includes('<p>Hi</p></div>'));
});

test('the text version quotes with "> " and ends with where to act', () => {
  assert.equal(
    mailText({ ...base, quote: 'Line one\nline two', after: 'After.' }),
    'Dear <Sam> & co,\n\nOne.\n\nTwo.\n\n> Line one\n> line two\n\nAfter.\n\nGo: https://u/x?a=1&b=2\n',
  );
});
