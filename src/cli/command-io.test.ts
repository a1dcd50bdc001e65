import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, conflict, invalid, notFound, unavailable } from '../platform/errors.ts';
import { answerFailure, readOptions, UsageMistake, unknownAction } from './command-io.ts';

const USAGE = 'Usage: stackable thing do <X>';

function answer(error: unknown, options?: Parameters<typeof answerFailure>[3]) {
  const err: string[] = [];
  const code = answerFailure(error, { err: (text) => err.push(text) }, USAGE, options);
  return { code, err: err.join('\n') };
}

test('a call made wrongly exits 64 with the mistake and then the usage', () => {
  assert.deepEqual(answer(new UsageMistake('Give one file.')), {
    code: 64,
    err: `Give one file.\n\n${USAGE}`,
  });
  // `stackable thing` on its own: the usage is the whole answer.
  assert.deepEqual(answer(unknownAction('thing', undefined)), { code: 64, err: USAGE });
  assert.deepEqual(answer(unknownAction('thing', 'undo')), {
    code: 64,
    err: `Unknown thing command "undo".\n\n${USAGE}`,
  });
});

test("parseArgs' own mistakes become usage mistakes", () => {
  const read = (args: string[]) => readOptions({ args, options: { name: { type: 'string' } } });
  assert.equal(read(['--name', 'Ada']).values.name, 'Ada');
  assert.throws(
    () => read(['--colour', 'red']),
    (error) => error instanceof UsageMistake,
  );
  assert.throws(
    () => read(['--name']),
    (error) => error instanceof UsageMistake,
  );
  assert.equal(answer(catching(() => read(['--colour', 'red']))).code, 64);
});

test('a refusal exits 1 with its public message and each field; refused option values exit 64', () => {
  const refusedEmail = invalid(
    [{ field: 'email', reason: 'is not an e-mail address' }],
    'Check the address.',
  );
  assert.deepEqual(answer(refusedEmail), {
    code: 1,
    err: 'Check the address.\n  email: is not an e-mail address',
  });
  assert.equal(answer(refusedEmail, { valuesAreOptions: true }).code, 64);
  assert.equal(
    answer(refusedEmail, { fieldName: (field) => `--${field}` }).err,
    'Check the address.\n  --email: is not an e-mail address',
  );
  // Refusing what was asked for is not a usage mistake, whatever the values' origin.
  assert.equal(answer(notFound('That list'), { valuesAreOptions: true }).code, 1);
  assert.equal(answer(conflict('Already running.'), { valuesAreOptions: true }).code, 1);
});

test('our own side failing exits 69, never a command\'s "no"; a fault is thrown on', () => {
  const down = answer(unavailable('The database did not answer.', new Error('ECONNREFUSED')));
  assert.deepEqual(down, { code: 69, err: 'The database did not answer.' });
  const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  // The same words as when the database is gone before the command starts (main.ts), with the driver's reason.
  assert.deepEqual(answer(lost), {
    code: 69,
    err: 'The database did not answer (connect ECONNREFUSED 127.0.0.1:5432); nothing was done. Try again when it is back.',
  });
  const bug = new TypeError('x is undefined');
  assert.throws(
    () => answer(bug),
    (error) => error === bug,
  );
  assert.ok(new AppError('INTERNAL', 'Something went wrong.') instanceof Error);
});

function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
