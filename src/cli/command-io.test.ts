import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppServices } from '../app-services.ts';
import { AppError, conflict, invalid, notFound, unavailable } from '../platform/errors.ts';
import { createLogger } from '../platform/logger.ts';
import {
  answerFailure,
  type CommandAction,
  commandGroup,
  readOptions,
  UsageMistake,
  unknownAction,
} from './command-io.ts';

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

/** A group `thing` whose actions say what they were given, refuse, or fail, with its output kept. */
function thingGroup(
  actions: Record<string, CommandAction>,
  failure?: Parameters<typeof commandGroup>[0]['failure'],
) {
  const logged: { msg: string; code?: string; err?: { message: string } }[] = [];
  // The group reads the app's logger and nothing else; these actions touch no service.
  const app = {
    logger: createLogger('error', { write: (line: string) => void logged.push(JSON.parse(line)) }),
  } as AppServices;
  const group = commandGroup({ name: 'thing', usage: USAGE, actions, failure });
  return {
    logged,
    run: async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (text: string) => out.push(text), err: (text: string) => err.push(text) };
      const code = await group.run(app, args, io);
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}

test("a group's action is given the arguments after its name and its exit code is the command's", async () => {
  const thing = thingGroup({
    do: async (_app, args, io) => {
      io.out(`did ${args.join(' ')}`);
      return 3;
    },
  });
  assert.deepEqual(await thing.run('do', 'X', '--now'), { code: 3, out: 'did X --now', err: '' });
});

test("help prints the group's usage and exits 0; a missing or unknown action exits 64 with it", async () => {
  const thing = thingGroup({ do: async () => 0 });
  assert.deepEqual(await thing.run('help'), { code: 0, out: USAGE, err: '' });
  assert.deepEqual(await thing.run(), { code: 64, out: '', err: USAGE });
  assert.deepEqual(await thing.run('undo', 'X'), {
    code: 64,
    out: '',
    err: `Unknown thing command "undo".\n\n${USAGE}`,
  });
  // What every object inherits is no action of the group.
  assert.equal((await thing.run('toString')).code, 64);
});

test("an action's mistake or refusal is answered with the group's failure options; a fault is thrown on", async () => {
  const refusal = invalid([{ field: 'email', reason: 'is not an e-mail address' }], 'Check the address.');
  const bug = new TypeError('x is undefined');
  const actions: Record<string, CommandAction> = {
    mistake: async () => {
      throw new UsageMistake('Give one X.');
    },
    missing: async () => {
      throw notFound('That X');
    },
    refuse: async () => {
      throw refusal;
    },
    crash: async () => {
      throw bug;
    },
  };
  const plain = thingGroup(actions);
  assert.deepEqual(await plain.run('mistake'), { code: 64, out: '', err: `Give one X.\n\n${USAGE}` });
  assert.deepEqual(await plain.run('missing'), { code: 1, out: '', err: 'That X could not be found.' });
  assert.equal((await plain.run('refuse')).code, 1);
  await assert.rejects(plain.run('crash'), (error) => error === bug);
  const withOptions = thingGroup(actions, { valuesAreOptions: true, fieldName: (field) => `--${field}` });
  assert.deepEqual(await withOptions.run('refuse'), {
    code: 64,
    out: '',
    err: 'Check the address.\n  --email: is not an e-mail address',
  });
});

test("a failure on our side goes to the app's log with its cause; the person reads the public message", async () => {
  const group = thingGroup({
    fail: async () => {
      throw new AppError('INTERNAL', 'Something went wrong.', [], { cause: new Error('disk full') });
    },
    refuse: async () => {
      throw new AppError('NOT_FOUND', 'That X could not be found.');
    },
  });
  assert.deepEqual(await group.run('fail'), { code: 1, out: '', err: 'Something went wrong.' });
  assert.deepEqual(
    group.logged.map(({ msg, code, err }) => ({ msg, code, cause: err?.message })),
    [{ msg: 'command failed', code: 'INTERNAL', cause: 'disk full' }],
  );
  assert.equal((await group.run('refuse')).code, 1);
  assert.equal(group.logged.length, 1, 'a refusal is not a failure to log');
});

function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
