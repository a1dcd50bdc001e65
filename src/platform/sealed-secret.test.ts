import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSealedSecret, sealSecret } from './sealed-secret.ts';

const APP_SECRET = 'an-app-secret-of-at-least-thirty-two-chars';

test('a sealed secret opens with the same app secret and purpose, and never reads as itself', () => {
  const sealed = sealSecret(APP_SECRET, 'client secret', 'hunter2-and-more');
  assert.doesNotMatch(sealed, /hunter2/);
  assert.notEqual(sealed, sealSecret(APP_SECRET, 'client secret', 'hunter2-and-more'));
  assert.equal(openSealedSecret(APP_SECRET, 'client secret', sealed), 'hunter2-and-more');
});

test('a sealed secret does not open with another app secret, another purpose, or after a change', () => {
  const sealed = sealSecret(APP_SECRET, 'client secret', 'value');
  assert.throws(() => openSealedSecret(`${APP_SECRET}x`, 'client secret', sealed), /could not be opened/);
  assert.throws(() => openSealedSecret(APP_SECRET, 'another purpose', sealed), /could not be opened/);
  const parts = sealed.split('.');
  parts[4] = Buffer.from('other').toString('base64url');
  assert.throws(() => openSealedSecret(APP_SECRET, 'client secret', parts.join('.')), /could not be opened/);
  assert.throws(() => openSealedSecret(APP_SECRET, 'client secret', 'plain text'), /not in a format/);
});
