import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { programEvents } from '../programs/program-vocabulary.ts';
import { actionLabel, actionLabels, entityTypeLabel, entityTypeLabels } from './action-labels.ts';

/** Every source file (not tests) under src/. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const sources = sourceFiles(join(import.meta.dirname, '..')).map((path) => readFileSync(path, 'utf8'));

describe('audit action labels', () => {
  test('every action a service records by name has words of its own', () => {
    const written = new Set<string>();
    for (const text of sources) {
      for (const match of text.matchAll(
        /action:\s*(?:[^,\n]*\?\s*)?'([a-z_]+\.[a-z_]+)'(?:\s*:\s*'([a-z_]+\.[a-z_]+)')?/g,
      )) {
        written.add(match[1]!);
        if (match[2]) written.add(match[2]);
      }
    }
    assert.ok(written.size > 50, `found ${written.size} actions`);
    const missing = [...written].filter((action) => !(action in actionLabels));
    assert.deepEqual(missing, []);
  });

  test('every program lifecycle event, recorded as program.<event>, has words', () => {
    for (const event of programEvents) assert.ok(`program.${event}` in actionLabels, event);
  });

  test('every record type a service writes has words', () => {
    const types = new Set<string>();
    for (const text of sources) {
      for (const match of text.matchAll(/\bentityType:\s*'([A-Za-z_]+)'/g)) types.add(match[1]!);
    }
    assert.deepEqual(
      [...types].filter((type) => !(type in entityTypeLabels)),
      [],
    );
  });

  test('an action without a label still reads as words, never as its code', () => {
    assert.equal(actionLabel('program.submit'), 'Submitted for pilot approval');
    assert.equal(actionLabel('tracking_list.paused_for_lunch'), 'Tracking list: paused for lunch');
    assert.equal(actionLabel('something'), 'Something');
    assert.equal(entityTypeLabel('fee_charge'), 'Fee');
    assert.equal(entityTypeLabel('new_thing'), 'New thing');
  });
});
