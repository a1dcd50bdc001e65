import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { proposalValues } from '../../test/support/programs.ts';
import { kindOfChange } from './program-changes.ts';
import { formValuesOf, parseProgramFields } from './program-form.ts';

const known = {
  departments: new Set(['COMM']),
  courses: new Set(['COMM 241', 'COMM 342']),
  certificates: new Set<string>(),
};

describe('the renewal requirement in the program form', () => {
  test('blank means the program’s own requirement again', () => {
    const parsed = parseProgramFields(proposalValues({ validity_years: '2' }), known);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.renewalRequirement, null);
    assert.equal(parsed.value.validityYears, 2);
  });

  test('a rule may name a refresher course outside the program’s list, and survives the edit form', () => {
    const rule = { type: 'course', code: 'COMM 501', minGrade: 'C' };
    const parsed = parseProgramFields(
      proposalValues({ renewal_requirement_json: JSON.stringify(rule) }),
      known,
    );
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.value.renewalRequirement, rule);
    const again = parseProgramFields(formValuesOf(parsed.value), known);
    assert.ok(again.ok);
    assert.deepEqual(again.value.renewalRequirement, rule);
  });

  test('text that is not a rule is refused with the field and the reason', () => {
    const notJson = parseProgramFields(proposalValues({ renewal_requirement_json: '{course' }), known);
    assert.ok(!notJson.ok);
    assert.deepEqual(
      notJson.problems.filter((p) => p.field === 'renewal_requirement_json'),
      [{ field: 'renewal_requirement_json', reason: 'is not valid JSON' }],
    );
    const notRule = parseProgramFields(
      proposalValues({ renewal_requirement_json: '{"type": "nothing"}' }),
      known,
    );
    assert.ok(!notRule.ok);
    assert.ok(notRule.problems.some((p) => p.field === 'renewal_requirement_json'));
  });

  test('changing validity or the renewal requirement of an approved program is substantive', () => {
    assert.equal(kindOfChange(['validityYears']), 'substantive');
    assert.equal(kindOfChange(['renewalRequirement']), 'substantive');
  });
});
