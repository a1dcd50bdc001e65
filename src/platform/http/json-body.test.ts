import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import secureJson from 'secure-json-parse';
import { isKnownNulFree, parseJsonBody } from './json-body.ts';

/** What Fastify's default parser answered: the value, or the code of the error it raised. */
function fastifyDefault(text: string): { value: unknown } | { code: string } {
  if (text.length === 0) return { code: 'FST_ERR_CTP_EMPTY_JSON_BODY' };
  try {
    return { value: secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' }) };
  } catch {
    return { code: 'FST_ERR_CTP_INVALID_JSON_BODY' };
  }
}

function ours(text: string): { value: unknown } | { code: string } {
  try {
    return { value: parseJsonBody(text) };
  } catch (error) {
    return { code: (error as { code: string }).code };
  }
}

/** Keys a poisoning attempt uses, literal and escaped, beside plain ones. */
const trickyKey = fc.constantFrom(
  '__proto__',
  '\\u005f_proto__',
  '_\\u005Fproto\\u005f_',
  'constructor',
  'c\\u006fnstructor',
  'prototype',
  'name',
  'nul\\u0000',
);
/** JSON texts with tricky keys spliced in, at the top or nested, with spacing before the colon. */
const poisonedText = fc
  .tuple(fc.json(), trickyKey, fc.json(), fc.constantFrom('', ' ', '\n'), fc.boolean())
  .map(([inner, key, value, space, nested]) => {
    const member = `"${key}"${space}:${value}`;
    return nested ? `{"a":{${member}},"b":${inner}}` : `{${member},"b":${inner}}`;
  });

describe('parseJsonBody', () => {
  test('answers every text as Fastify default parser (secure-json-parse) did', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), poisonedText, fc.string()), (text) => {
        assert.deepEqual(ours(text), fastifyDefault(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('refuses prototype poisoning, however the key is spelled', () => {
    for (const text of [
      '{"verifiableCredential":{},"__proto__":{"polluted":true}}',
      '{"a":[{"\\u005f_proto__":{}}]}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"x":{"c\\u006fnstructor" :{"prototype":{}}}}',
    ]) {
      assert.deepEqual(ours(text), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' }, text);
    }
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  test('tells the NUL guard only of bodies that cannot hold a NUL', () => {
    assert.equal(isKnownNulFree(parseJsonBody('{"name":"plain","list":[1,"two"]}')), true);
    assert.equal(isKnownNulFree(parseJsonBody('{"name":"a\\u0000b"}')), false);
    assert.equal(isKnownNulFree(parseJsonBody('{"n\\u0000":1}')), false);
    // Any escape at all sends the body to the full walk, whatever it spells.
    assert.equal(isKnownNulFree(parseJsonBody('{"name":"caf\\u00e9"}')), false);
    assert.equal(isKnownNulFree({ name: 'never parsed here' }), false);
  });

  test('drops a byte order mark and refuses empty or broken text as before', () => {
    assert.deepEqual(parseJsonBody('\ufeff{"a":1}'), { a: 1 });
    assert.deepEqual(ours(''), { code: 'FST_ERR_CTP_EMPTY_JSON_BODY' });
    assert.deepEqual(ours('{"a":'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
  });
});
