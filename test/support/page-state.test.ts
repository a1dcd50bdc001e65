import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalMarkup } from './page-state.ts';

const first = '3f2b6c1e-8a4d-4e2f-9b1a-0c5d7e9f1a2b';
const second = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

test('pages that differ only in their random ids and CSRF tokens read alike', () => {
  const page = (id: string, token: string) =>
    `<form action="/programs/${id}?_csrf=${encodeURIComponent(token)}"><input type="hidden" name="_csrf" value="${token}"><a href="http://127.0.0.1:41234/p/${id}">Open</a></form>`;
  assert.equal(canonicalMarkup(page(first, 'abc+/9')), canonicalMarkup(page(second, 'xyz/+1')));
});

test('an id repeated on a page stays repeated, and two different ids stay different', () => {
  // Two elements sharing an id is a fault axe reports; it must not read like a page whose ids differ.
  const shared = canonicalMarkup(`<p id="${first}"></p><p id="${first}"></p>`);
  const apart = canonicalMarkup(`<p id="${first}"></p><p id="${second}"></p>`);
  assert.notEqual(shared, apart);
  assert.equal(shared, canonicalMarkup(`<p id="${second}"></p><p id="${second}"></p>`));
});

test('stand-ins keep the length of what they replace, so text takes the same room', () => {
  const html = `<td>${first}</td><a href="http://127.0.0.1:5173/">x</a><a href="http://127.0.0.1:41234/">y</a>`;
  assert.equal(canonicalMarkup(html).length, html.length);
});

test('a change to the words or the markup is a different page', () => {
  assert.notEqual(canonicalMarkup('<img alt="A logo">'), canonicalMarkup('<img alt="">'));
  assert.notEqual(canonicalMarkup('<p>Open</p>'), canonicalMarkup('<p>Opened</p>'));
});
