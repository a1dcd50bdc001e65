import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  gradeStrength,
  isKnownGrade,
  isPassingGrade,
  isValidMinimumGrade,
  letterGrades,
  meetsMinimumGrade,
  minimumGrades,
} from './grades.ts';

// Written out by hand (not derived from the module) so a reordering in grades.ts is caught.
const highToLow = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-'];

describe('meetsMinimumGrade', () => {
  test('a letter grade meets every minimum at or below it and none above', () => {
    highToLow.forEach((grade, gradeIndex) => {
      highToLow.forEach((minimum, minimumIndex) => {
        assert.equal(meetsMinimumGrade(grade, minimum), gradeIndex <= minimumIndex, `${grade} vs ${minimum}`);
      });
    });
  });

  test('F, NP, W and I never pass, whatever the minimum', () => {
    for (const grade of ['F', 'NP', 'W', 'I', 'f', 'w']) {
      assert.equal(meetsMinimumGrade(grade), false, grade);
      assert.equal(meetsMinimumGrade(grade, 'P'), false, grade);
      assert.equal(meetsMinimumGrade(grade, 'D-'), false, grade);
    }
  });

  test('P meets no minimum, P, and D- up to C-, but not C or higher', () => {
    for (const minimum of [undefined, 'P', 'D-', 'D', 'D+', 'C-']) {
      assert.equal(meetsMinimumGrade('P', minimum), true, String(minimum));
    }
    for (const minimum of ['C', 'C+', 'B-', 'B', 'A', 'A+']) {
      assert.equal(meetsMinimumGrade('P', minimum), false, minimum);
    }
  });

  test('any passing letter meets minimum P', () => {
    for (const grade of highToLow) assert.equal(meetsMinimumGrade(grade, 'P'), true, grade);
  });

  test('grades are read case- and space-insensitively', () => {
    assert.equal(meetsMinimumGrade(' b+ ', 'B'), true);
    assert.equal(meetsMinimumGrade('c', 'b-'), false);
    assert.equal(meetsMinimumGrade('p', 'c-'), true);
  });

  test('unknown grades never pass; unknown minimums are never met', () => {
    for (const grade of ['', 'E', 'A++', 'pass', '4.0', 'CR'])
      assert.equal(meetsMinimumGrade(grade), false, grade);
    assert.equal(meetsMinimumGrade('A+', 'E'), false);
    assert.equal(meetsMinimumGrade('A+', 'F'), false);
  });
});

describe('grade scale', () => {
  test('strength increases strictly from D- to A+, and P ranks with C-', () => {
    const strengths = highToLow.map(gradeStrength);
    for (let index = 1; index < strengths.length; index += 1) {
      assert.ok(strengths[index - 1]! > strengths[index]!, `${highToLow[index - 1]} > ${highToLow[index]}`);
    }
    assert.equal(gradeStrength('P'), gradeStrength('C-'));
    assert.ok(gradeStrength('D-') > 0);
    for (const grade of ['F', 'NP', 'W', 'I', 'Z']) assert.ok(gradeStrength(grade) < 0, grade);
  });

  test('known and passing grades', () => {
    for (const grade of [...letterGrades, 'P', 'NP', 'W', 'I', 'a-'])
      assert.equal(isKnownGrade(grade), true, grade);
    assert.equal(isKnownGrade('E'), false);
    assert.equal(isPassingGrade('D-'), true);
    assert.equal(isPassingGrade('F'), false);
    assert.equal(isPassingGrade('NP'), false);
  });

  test('valid minimums are the passing letters and P', () => {
    assert.deepEqual([...minimumGrades].sort(), [...highToLow, 'P'].sort());
    for (const bad of ['F', 'NP', 'W', 'I', 'E', '']) assert.equal(isValidMinimumGrade(bad), false, bad);
  });

  test('property: meeting a minimum means meeting every lower minimum (the order is consistent)', () => {
    const gradeArb = fc.constantFrom(...highToLow, 'P', 'F', 'NP', 'W', 'I');
    const minArb = fc.constantFrom(...highToLow, 'P');
    fc.assert(
      fc.property(gradeArb, minArb, minArb, (grade, higher, lower) => {
        // As a minimum, P asks for any pass, the same bar as D-.
        const position = (minimum: string) => highToLow.indexOf(minimum === 'P' ? 'D-' : minimum);
        fc.pre(position(higher) <= position(lower));
        if (meetsMinimumGrade(grade, higher)) assert.equal(meetsMinimumGrade(grade, lower), true);
      }),
      { numRuns: 2000 },
    );
  });
});
