import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPermanentRefusal } from './smtp-refusal.ts';

describe('which mail server answers are final', () => {
  const cases: [string, unknown, boolean][] = [
    ['550 unknown mailbox', { responseCode: 550, command: 'RCPT TO' }, true],
    ['554 message refused', { responseCode: 554, command: 'DATA' }, true],
    ['552 mailbox full', { responseCode: 552 }, true],
    ['451 try again later', { responseCode: 451 }, false],
    ['421 closing the connection', { responseCode: 421 }, false],
    ['connection refused', { code: 'ESOCKET' }, false],
    ['timeout', { code: 'ETIMEDOUT' }, false],
    ['535 credentials refused (our setting, not the message)', { responseCode: 535, code: 'EAUTH' }, false],
    ['a plain error', new Error('boom'), false],
    ['not an object', 'refused', false],
  ];
  for (const [what, error, permanent] of cases) {
    test(`${what}: ${permanent ? 'a dead letter at once' : 'retried'}`, () => {
      assert.equal(isPermanentRefusal(error), permanent);
    });
  }
});
