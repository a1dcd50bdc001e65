import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HIDDEN_LINK, redactSecrets } from './redact-secrets.ts';

const link = 'https://badges.example.edu/password/reset?token=AbC_123-xyz987654321';

test('a marked link disappears, and so does its token written on its own', () => {
  const text = `Open ${link}\nor paste AbC_123-xyz987654321 into the form.`;
  const shown = redactSecrets(text, [link]);
  assert.doesNotMatch(shown, /AbC_123-xyz987654321/);
  assert.match(shown, new RegExp(HIDDEN_LINK.replace(/[[\]]/g, '\\$&')));
  assert.match(shown, /into the form\.$/);
});

test('a token-named parameter is blanked even when nobody marked the link', () => {
  const shown = redactSecrets('Claim: https://x.example/claim?token=s3cr3t.value-here&lang=en');
  assert.doesNotMatch(shown, /s3cr3t/);
  assert.match(shown, /&lang=en/);
});

test('text without secrets is left as it was', () => {
  const text = 'Your badge request was approved: https://x.example/progress/abc';
  assert.equal(redactSecrets(text, []), text);
});

test('no marked secret survives, whatever text surrounds it', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{16,48}$/);
  fc.assert(
    fc.property(fc.string(), token, fc.string(), (before, secret, after) => {
      const url = `https://x.example/invitation?token=${secret}`;
      return !redactSecrets(`${before}${url}${after}`, [url]).includes(secret);
    }),
  );
});
