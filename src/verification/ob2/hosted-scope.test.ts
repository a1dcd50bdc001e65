import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostedScopeProblem } from './hosted-scope.ts';

const profile = (verification?: object) => ({
  id: 'https://college.example/issuer',
  ...(verification ? { verification } : {}),
});

const cases: [string, string, object, string | null, boolean][] = [
  ['same origin, no rules', 'https://college.example/a/1', profile(), null, true],
  ['another origin, no rules', 'https://evil.example/a/1', profile(), null, false],
  [
    'badge class elsewhere, no rules',
    'https://college.example/a/1',
    profile(),
    'https://evil.example/b',
    false,
  ],
  [
    'allowed origin',
    'https://badges.college.example/1',
    profile({ allowedOrigins: ['badges.college.example'] }),
    null,
    true,
  ],
  [
    'origin not allowed',
    'https://college.example/1',
    profile({ allowedOrigins: 'badges.college.example' }),
    null,
    false,
  ],
  [
    'within startsWith',
    'https://college.example/a/1',
    profile({ startsWith: 'https://college.example/a/' }),
    null,
    true,
  ],
  [
    'outside startsWith',
    'https://college.example/b/1',
    profile({ startsWith: 'https://college.example/a/' }),
    null,
    false,
  ],
  [
    'unknown verificationProperty',
    'https://college.example/a/1',
    profile({ verificationProperty: 'name' }),
    null,
    false,
  ],
];

for (const [name, id, issuer, badgeClass, isAllowed] of cases) {
  test(`hosted scope: ${name}`, () => {
    const problem = hostedScopeProblem(id, issuer as Record<string, unknown>, badgeClass);
    assert.equal(problem === null, isAllowed, problem ?? 'allowed');
  });
}
