import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from './main.ts';

/** Runs the command line with console output captured instead of printed. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => err.push(parts.join(' '));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('help and its two spellings print the usage and succeed', async () => {
  for (const word of ['help', '--help', '-h']) {
    const { code, out } = await run([word]);
    assert.equal(code, 0, word);
    assert.match(out, /^Usage: stackable <command>/, word);
  }
});

test('an unknown command is named, with the usage, and exits 64 (EX_USAGE)', async () => {
  const { code, err } = await run(['frobnicate']);
  assert.equal(code, 64);
  assert.match(err, /Unknown command "frobnicate"\./);
  assert.match(err, /Usage: stackable <command>/);
});

test("the command table's inherited names are not commands", async () => {
  for (const word of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    const { code, err } = await run([word]);
    assert.equal(code, 64, word);
    assert.match(err, /Unknown command/, word);
  }
});
