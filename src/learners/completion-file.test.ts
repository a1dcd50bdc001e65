import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { termCalendar } from './academic-term.ts';
import { type FileTally, readCompletionFile } from './completion-file.ts';

test('a completions row is reported on the line it starts on, after values that hold line breaks', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'completion-file-'));
  try {
    const path = join(folder, 'completions.csv');
    writeFileSync(
      path,
      [
        'student_id,course_code,term,grade,credits,source',
        'S1,MATH 101,2025 Fall,A,3,"registrar\r\nexport"', // lines 2–3
        'S2,MATH 101,2025 Fall,B,3,"one\rtwo"', // lines 4–5
        'S3,MATH 101,2025 Fall,,3,', // line 6: no grade
      ].join('\n'),
    );
    const tally: FileTally = { hasHeader: false, rows: 0 };
    const rows = [];
    for await (const batch of readCompletionFile(
      path,
      { terms: termCalendar([]), latestTermEnd: '2028-08-31' },
      tally,
    ))
      rows.push(...batch);
    assert.deepEqual(
      rows.map((row) => [row[1], row[0]]),
      [
        ['S1', 2],
        ['S2', 4],
        ['S3', 6],
      ],
    );
    assert.equal(tally.rows, 3);
    assert.match(String(rows[2]?.[4]), /grade/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a row naming the student, course and term of an earlier row, good or bad, is marked as a possible repeat', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'completion-file-'));
  try {
    const path = join(folder, 'completions.csv');
    writeFileSync(
      path,
      [
        'student_id,course_code,term,grade,credits',
        'S1,MATH 101,2025 Fall,A,3',
        'S1,MATH 102,2025 Fall,A,3',
        'S1,MATH 101,2025 Fall,B,3', // repeats line 2
        'S2,MATH 101,2025 Fall,,3', // no grade
        'S2,MATH 101,2025 Fall,C,3', // repeats line 5, which was bad
      ].join('\n'),
    );
    const rows = [];
    for await (const batch of readCompletionFile(
      path,
      { terms: termCalendar([]), latestTermEnd: '2028-08-31' },
      { hasHeader: false, rows: 0 },
    ))
      rows.push(...batch);
    assert.deepEqual(
      rows.map((row) => [row[0], row[11]]),
      [
        [2, false],
        [3, false],
        [4, true],
        [5, false],
        [6, true],
      ],
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
