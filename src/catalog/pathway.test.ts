import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type BadgeStanding,
  type ExtraCourse,
  orderStack,
  planCredits,
  type StackedBadge,
  sharedCourses,
  summariseStanding,
} from './pathway.ts';

function badge(slug: string, courseCodes: string[], creditsMin = 12, creditsMax = creditsMin): StackedBadge {
  return {
    slug,
    title: slug.replace(/-/g, ' '),
    summary: '',
    level: 'undergraduate',
    creditsMin,
    creditsMax,
    creditType: 'credit',
    isPilot: false,
    courseCodes,
  };
}
const course = (code: string, credits: number, isRequired: boolean): ExtraCourse => ({
  code,
  title: code,
  credits,
  isRequired,
});

const planning = badge('planning', ['GEOG 271', 'GEOG 372']);
const mapping = badge('mapping', ['GEOG 286', 'GEOG 386', 'GEOG 385'], 12, 13);
const data = badge('data', ['ENV 321', 'GEOG 385']);
const courses = [course('CS 225', 4, true), course('MATH 243', 4, false), course('MATH 344', 4, false)];

describe('certificate pathway arithmetic', () => {
  test('the stack starts with the badge whose courses come earliest, ties alphabetically', () => {
    const tie = badge('aardvark', ['ENV 321']);
    assert.deepEqual(
      orderStack([data, mapping, planning, tie]).map((b) => b.slug),
      ['planning', 'mapping', 'aardvark', 'data'],
    );
    assert.equal(orderStack([badge('empty', []), planning])[1]?.slug, 'empty', 'no courses: last');
  });

  test('with every badge required, badges, required courses and electives make up the total', () => {
    const plan = planCredits(
      { creditsRequired: 44, badgesRequired: null },
      [planning, mapping, data],
      courses,
    );
    assert.deepEqual(plan, {
      badgesNeeded: 3,
      badgesOffered: 3,
      badgeCredits: 36,
      requiredCourseCredits: 4,
      electiveCredits: 4,
      electiveCreditsOffered: 8,
      total: 44,
      isReachable: true,
    });
  });

  test('"at least N" counts the N smallest badges', () => {
    const big = badge('big', ['X 100'], 16);
    const plan = planCredits({ creditsRequired: 32, badgesRequired: 2 }, [big, planning, mapping], courses);
    assert.equal(plan.badgesNeeded, 2);
    assert.equal(plan.badgeCredits, 24);
    assert.equal(plan.electiveCredits, 4);
  });

  test('a total the offered pieces cannot reach is flagged, not hidden', () => {
    const tooFewBadges = planCredits(
      { creditsRequired: 32, badgesRequired: 3 },
      [planning, mapping],
      courses,
    );
    assert.equal(tooFewBadges.isReachable, false);
    const tooFewElectives = planCredits({ creditsRequired: 60, badgesRequired: null }, [planning], courses);
    assert.equal(tooFewElectives.electiveCredits, 44);
    assert.equal(tooFewElectives.isReachable, false);
  });

  test('when badges and required courses already exceed the total, no electives are needed', () => {
    const plan = planCredits({ creditsRequired: 20, badgesRequired: null }, [planning, mapping], courses);
    assert.equal(plan.electiveCredits, 0);
    assert.equal(plan.isReachable, true);
  });

  test('courses that sit in two badges of the stack are named', () => {
    assert.deepEqual(sharedCourses([planning, mapping, data]), [
      { code: 'GEOG 385', badges: ['mapping', 'data'] },
    ]);
    assert.deepEqual(sharedCourses([planning, badge('twice', ['A 100', 'A 100'])]), []);
  });

  test('the pieces always add up: electives fill exactly the gap when there is one', () => {
    const badgeArb = fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 }))
      .map(([min, extra]) => badge('b', ['X 100'], min, min + extra));
    const courseArb = fc
      .tuple(fc.integer({ min: 0, max: 8 }), fc.boolean())
      .map(([credits, isRequired]) => course('C 100', credits, isRequired));
    fc.assert(
      fc.property(
        fc.array(badgeArb, { maxLength: 6 }),
        fc.array(courseArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
        (badges, extra, total, badgesRequired) => {
          const plan = planCredits({ creditsRequired: total, badgesRequired }, badges, extra);
          assert.ok(plan.electiveCredits >= 0);
          const before = plan.badgeCredits + plan.requiredCourseCredits;
          if (before <= total) assert.equal(before + plan.electiveCredits, total);
          else assert.equal(plan.electiveCredits, 0);
          assert.equal(
            plan.isReachable,
            plan.badgesNeeded <= badges.length && plan.electiveCredits <= plan.electiveCreditsOffered,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a learner on the pathway', () => {
  const stack = orderStack([planning, mapping, data]);
  const plan = planCredits({ creditsRequired: 32, badgesRequired: 2 }, stack, courses);
  const standing = (badges: [string, BadgeStanding][], completed: string[] = []) => ({
    badges: new Map(badges),
    completedCourses: new Set(completed),
  });

  test('a newcomer is pointed at the first badge of the stack', () => {
    const summary = summariseStanding(plan, stack, courses, standing([]));
    assert.deepEqual(summary.next, { kind: 'badge', slug: 'planning', title: 'planning' });
    assert.equal(summary.badgesDone, 0);
    assert.equal(summary.badgesNeeded, 2);
  });

  test('held and earned badges count as done; enrolments as under way; the next badge skips both', () => {
    const summary = summariseStanding(plan, stack, courses, standing([['planning', 'enrolled']]));
    assert.equal(summary.badgesInProgress, 1);
    assert.deepEqual(summary.next, { kind: 'badge', slug: 'mapping', title: 'mapping' });
    const two = summariseStanding(
      plan,
      stack,
      courses,
      standing([
        ['planning', 'held'],
        ['data', 'earned'],
      ]),
    );
    assert.equal(two.badgesDone, 2);
    assert.deepEqual(two.next, { kind: 'course', code: 'CS 225', title: 'CS 225' });
  });

  test('after the required courses come the electives, then the application', () => {
    const done: [string, BadgeStanding][] = [
      ['planning', 'held'],
      ['mapping', 'held'],
    ];
    const electives = summariseStanding(plan, stack, courses, standing(done, ['CS 225']));
    assert.deepEqual(electives.next, { kind: 'electives', credits: 4 });
    const ready = summariseStanding(plan, stack, courses, standing(done, ['CS 225', 'MATH 344']));
    assert.equal(ready.electiveCreditsDone, 4);
    assert.deepEqual(ready.next, { kind: 'apply' });
  });

  test('with courses done and badges under way, the next step is the badge in progress', () => {
    const summary = summariseStanding(
      plan,
      stack,
      courses,
      standing(
        [
          ['planning', 'held'],
          ['data', 'enrolled'],
        ],
        ['CS 225', 'MATH 243'],
      ),
    );
    assert.deepEqual(summary.next, { kind: 'badge', slug: 'data', title: 'data' });
  });
});
