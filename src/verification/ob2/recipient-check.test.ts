import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { checkRecipient } from './recipient-check.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('a salted sha256 recipient matches its address, in any case', () => {
  const recipient = {
    type: 'email',
    hashed: true,
    salt: 'pepper',
    identity: `sha256$${sha256('ana@example.org' + 'pepper')}`,
  };
  assert.equal(checkRecipient(recipient, ' Ana@Example.org ').status, 'passed');
  assert.equal(checkRecipient(recipient, 'bo@example.org').status, 'failed');
});

test('an unsalted md5 recipient and a plain one are compared too', () => {
  const md5 = createHash('md5').update('ana@example.org').digest('hex');
  assert.equal(
    checkRecipient({ type: 'email', hashed: true, identity: `md5$${md5}` }, 'ana@example.org').status,
    'passed',
  );
  assert.equal(
    checkRecipient({ type: 'email', hashed: false, identity: 'ana@example.org' }, 'ANA@example.org').status,
    'passed',
  );
  assert.equal(
    checkRecipient({ type: 'email', hashed: false, identity: 'ana@example.org' }, 'bo@example.org').status,
    'failed',
  );
});

test('a hash claimed but not in a known form never matches', () => {
  assert.equal(
    checkRecipient({ type: 'email', hashed: true, identity: 'ana@example.org' }, 'ana@example.org').status,
    'failed',
  );
});

test('a recipient named by url cannot be compared with an address', () => {
  assert.equal(
    checkRecipient({ type: 'url', hashed: false, identity: 'https://ana.example' }, 'ana@example.org').status,
    'warning',
  );
});

test('an Open Badges 3.0 IdentityObject is compared by its identityType and identityHash', () => {
  const recipient = {
    type: 'IdentityObject',
    identityType: 'emailAddress',
    hashed: true,
    salt: 'pepper',
    identityHash: `sha256$${sha256('ana@example.org' + 'pepper')}`,
  };
  assert.equal(checkRecipient(recipient, 'Ana@example.org').status, 'passed');
  assert.equal(checkRecipient(recipient, 'bo@example.org').status, 'failed');
});
