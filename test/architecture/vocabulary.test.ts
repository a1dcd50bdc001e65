// Issue 13, point 1: each word of the program vocabulary has one owner. These checks read src/ as text and fail
// when a list of program states, a label table for the program's codes, a money formatter or a copy of the
// HTML mail frame appears outside the file that owns it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { programStates } from '../../src/programs/program-vocabulary.ts';

const root = join(import.meta.dirname, '..', '..');
const vocabularyOwner = 'src/programs/program-vocabulary.ts';

/**
 * Source files that state facts. Tests are left out on purpose: they restate the rules independently, by hand,
 * so that a mistake in the owner shows. Migrations are history and must keep the words they were written with.
 */
function sourceFiles(): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = relative(root, full).split('\\').join('/');
      if (entry.isDirectory()) {
        if (path !== 'src/platform/db/migrations') walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.ts$|\.e2e\.ts$/.test(entry.name)) {
        files.push({ path, text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(join(root, 'src'));
  return files;
}

const files = sourceFiles();
const stateLiteral = new RegExp(`['"\`](${programStates.join('|')})['"\`]`, 'g');
const distinctStates = (text: string): Set<string> =>
  new Set([...text.matchAll(stateLiteral)].map((m) => m[1] ?? ''));

/** Places where `pattern` matches outside the files allowed to hold it, as `path:line`. */
function offenders(pattern: RegExp, allowed: readonly string[] = [vocabularyOwner]): string[] {
  return files
    .filter((file) => !allowed.includes(file.path))
    .flatMap((file) =>
      file.text
        .split('\n')
        .flatMap((line, index) => (pattern.test(line) ? [`${file.path}:${index + 1}`] : [])),
    );
}

describe('program vocabulary has one owner', () => {
  test('the owner still names every state, so the checks below look for the right words', () => {
    assert.deepEqual(
      [...distinctStates(readFileSync(join(root, vocabularyOwner), 'utf8'))].sort(),
      [...programStates].sort(),
    );
  });

  test('no list of program states is written outside the owner (arrays, SQL `in (…)`, `a || b` tests)', () => {
    const found: string[] = [];
    for (const file of files.filter((f) => f.path !== vocabularyOwner)) {
      // The contents of each innermost (…) or […]: an array literal, an argument list or an SQL `in` list.
      for (const group of file.text.matchAll(/[[(]([^[\]()]*)[\])]/g)) {
        if (distinctStates(group[1] ?? '').size >= 2) found.push(`${file.path}: ${group[0]}`);
      }
      // Two states compared on one line and joined by || or &&: a list in disguise.
      for (const line of file.text.split('\n')) {
        if (/\|\||&&/.test(line) && /[!=]==/.test(line) && distinctStates(line).size >= 2) {
          found.push(`${file.path}: ${line.trim()}`);
        }
      }
    }
    assert.deepEqual(found, [], 'use the state sets and predicates of programs/program-vocabulary.ts');
  });

  test('no label table for states, levels, credit types or enrolment paths is written outside the owner', () => {
    // A table is told by its keys: words given for most states, or for every code of a smaller vocabulary.
    const vocabularies: { name: string; keys: readonly string[]; enough: number }[] = [
      { name: 'program states', keys: programStates, enough: 3 },
      { name: 'levels', keys: ['undergraduate', 'graduate'], enough: 2 },
      { name: 'credit types', keys: ['credit', 'non_credit', 'hybrid'], enough: 3 },
      { name: 'enrolment paths', keys: ['new', 'non_degree', 'current', 'returning'], enough: 4 },
    ];
    const found: string[] = [];
    for (const file of files.filter((f) => f.path !== vocabularyOwner)) {
      // The contents of each innermost {…}: an object literal, on one line or many.
      for (const object of file.text.matchAll(/\{([^{}]*)\}/g)) {
        for (const { name, keys, enough } of vocabularies) {
          const worded = new RegExp(`(?:^|[\\s,{])(${keys.join('|')})\\s*:\\s*['"\`]`, 'g');
          const present = new Set([...(object[1] ?? '').matchAll(worded)].map((m) => m[1]));
          if (present.size >= enough)
            found.push(`${file.path}: words for the ${name} ${[...present].join(', ')}`);
        }
      }
    }
    found.push(...offenders(/===\s*'graduate'\s*\?\s*'Graduate'/));
    assert.deepEqual(found, [], 'use the labels of programs/program-vocabulary.ts');
  });

  test('one name for the status type: ProgramState', () => {
    assert.deepEqual(offenders(/\bProgramStatus\b/, []), []);
  });
});

describe('money and mail have one owner', () => {
  test('money is formatted only by platform/money.ts', () => {
    const formatting = /[cC]ents\)?\s*\/\s*100\b|\/\s*100\)\.(toFixed|toLocaleString)\(/;
    assert.deepEqual(offenders(formatting, ['src/platform/money.ts']), []);
  });

  test('the HTML mail frame is written only by platform/mail/mail-layout.ts', () => {
    assert.deepEqual(offenders(/max-width:\s*36rem/, ['src/platform/mail/mail-layout.ts']), []);
  });
});
