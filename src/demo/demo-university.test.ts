// Checks the demo university seed file: cross-references, the shape the app expects, and that each demo
// learner's completions really match the stage they are shown at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

type Rule =
  | { type: 'all'; rules: Rule[] }
  | { type: 'choose'; count: number; rules: Rule[] }
  | { type: 'course'; code: string; minGrade?: string }
  | { type: 'credits'; min: number; fromCourses?: string[]; level?: Level }
  | { type: 'experience'; key: string; name: string }
  | { type: 'within'; years: number; rule: Rule };
type Level = 'undergraduate' | 'graduate';
interface Course {
  code: string;
  title: string;
  credits: number;
  level: Level;
}
interface Skill {
  name: string;
  framework?: string;
  url?: string;
  code?: string;
}
interface Program {
  slug: string;
  title: string;
  summary: string;
  description: string;
  department: string;
  level: Level;
  credits: { min: number; max: number };
  creditType: string;
  status: string;
  pilotStartYear?: number;
  feeCents: number;
  validityYears?: number;
  outcomes: string[];
  skills: Skill[];
  courses: string[];
  requirement: Rule;
  stacksInto: string[];
  enrolmentPaths: string[];
  lead: string;
}
interface Completion {
  course: string;
  term: string;
  grade: string;
}
interface Enrolment {
  program: string;
  enrolledOn: string;
  completions: Completion[];
  stage: string;
}
interface Learner {
  email: string;
  name: string;
  studentId: string;
  status: string;
  enrolments: Enrolment[];
}
interface DemoUniversity {
  institution: {
    name: string;
    shortName: string;
    url: string;
    email: string;
    phone: string;
    address: string;
    description: string;
    colours: { primary: string; accent: string };
    academicYearStartMonth: number;
    defaultFeeCents: number;
  };
  departments: { code: string; name: string }[];
  courses: Course[];
  certificates: {
    slug: string;
    title: string;
    description: string;
    level: Level;
    courses: { code: string; required: boolean }[];
  }[];
  programs: Program[];
  users: { email: string; name: string; roles: string[] }[];
  learners: Learner[];
}

const rawText = readFileSync(new URL('./demo-university.json', import.meta.url), 'utf8');
const demo = JSON.parse(rawText) as DemoUniversity;
const coursesByCode = new Map(demo.courses.map((c) => [c.code, c]));
const ROLES = ['learner', 'program_lead', 'approver', 'credentials_office', 'registrar', 'bursar', 'admin'];
const GRADE_POINTS: Record<string, number> = {
  A: 4,
  'A-': 3.7,
  'B+': 3.3,
  B: 3,
  'B-': 2.7,
  'C+': 2.3,
  C: 2,
  'C-': 1.7,
  'D+': 1.3,
  D: 1,
  'D-': 0.7,
  F: 0,
};
const TERM_START_MONTH: Record<string, number> = { Winter: 1, Spring: 4, Summer: 6, Fall: 9 };

/** Lower case, runs of anything not a letter or digit become one dash, no dashes at the ends. */
function kebab(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function findDuplicates(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

/** Every course code a rule names, including credit pools. */
function listRuleCourses(rule: Rule): string[] {
  switch (rule.type) {
    case 'all':
    case 'choose':
      return rule.rules.flatMap(listRuleCourses);
    case 'course':
      return [rule.code];
    case 'credits':
      return rule.fromCourses ?? [];
    case 'within':
      return listRuleCourses(rule.rule);
    case 'experience':
      return [];
  }
}

function listRuleTypes(rule: Rule): string[] {
  if (rule.type === 'all' || rule.type === 'choose') return [rule.type, ...rule.rules.flatMap(listRuleTypes)];
  if (rule.type === 'within') return [rule.type, ...listRuleTypes(rule.rule)];
  return [rule.type];
}

function passes(grade: string, minGrade: string | undefined): boolean {
  if (minGrade === undefined) return grade === 'P' || (GRADE_POINTS[grade] ?? 0) > 0;
  const got = GRADE_POINTS[grade];
  const need = GRADE_POINTS[minGrade];
  return got !== undefined && need !== undefined && got >= need;
}

function termToMonths(term: string): number {
  const [year, season] = term.split(' ');
  return Number(year) * 12 + (TERM_START_MONTH[season ?? ''] ?? Number.NaN) - 1;
}

/**
 * Share of a rule the completions satisfy, from 0 to 1. Experience sign-offs are not part of the seed data,
 * so they always count as unmet: a learner shown as complete must not depend on one.
 */
function measureProgress(rule: Rule, done: Completion[]): number {
  switch (rule.type) {
    case 'all':
      return rule.rules.reduce((sum, r) => sum + measureProgress(r, done), 0) / rule.rules.length;
    case 'choose': {
      const best = rule.rules.map((r) => measureProgress(r, done)).sort((a, b) => b - a);
      return best.slice(0, rule.count).reduce((sum, p) => sum + p, 0) / rule.count;
    }
    case 'course':
      return done.some((c) => c.course === rule.code && passes(c.grade, rule.minGrade)) ? 1 : 0;
    case 'credits': {
      const earned = done
        .filter((c) => passes(c.grade, undefined))
        .map((c) => coursesByCode.get(c.course))
        .filter((c): c is Course => c !== undefined)
        .filter((c) => (rule.fromCourses ? rule.fromCourses.includes(c.code) : true))
        .filter((c) => (rule.level ? c.level === rule.level : true))
        .reduce((sum, c) => sum + c.credits, 0);
      return Math.min(1, earned / rule.min);
    }
    case 'experience':
      return 0;
    case 'within': {
      const months = done.map((c) => termToMonths(c.term));
      const span = months.length === 0 ? 0 : Math.max(...months) - Math.min(...months);
      const inner = measureProgress(rule.rule, done);
      return span <= rule.years * 12 ? inner : Math.min(inner, 0.99);
    }
  }
}

/** Relative luminance contrast of a hex colour against white (WCAG 2 formula). */
function measureContrastWithWhite(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe('demo university seed data', () => {
  test('institution is the fictional one, with readable colours', () => {
    const inst = demo.institution;
    assert.equal(inst.name, 'Cascade Ridge University');
    assert.equal(inst.shortName, 'CRU');
    assert.equal(inst.url, 'https://www.cascaderidge.example');
    assert.equal(inst.email, 'credentials@cascaderidge.example');
    assert.equal(inst.academicYearStartMonth, 9);
    assert.equal(inst.defaultFeeCents, 1000);
    assert.match(inst.colours.primary, /^#[0-9a-fA-F]{6}$/);
    assert.match(inst.colours.accent, /^#[0-9a-fA-F]{6}$/);
    assert.ok(
      measureContrastWithWhite(inst.colours.primary) >= 4.5,
      'white text must be readable on primary',
    );
  });

  test('never names the source universities or badge vendors', () => {
    for (const banned of [/southern oregon/i, /\bSOU\b/, /montana/i, /parchment/i, /credly/i]) {
      assert.doesNotMatch(rawText, banned);
    }
  });

  test('codes, slugs, e-mails and student ids are unique', () => {
    assert.deepEqual(findDuplicates(demo.departments.map((d) => d.code)), []);
    assert.deepEqual(findDuplicates(demo.courses.map((c) => c.code)), []);
    assert.deepEqual(findDuplicates(demo.certificates.map((c) => c.slug)), []);
    assert.deepEqual(findDuplicates(demo.programs.map((p) => p.slug)), []);
    assert.deepEqual(findDuplicates(demo.programs.map((p) => p.title)), []);
    assert.deepEqual(findDuplicates(demo.users.map((u) => u.email)), []);
    assert.deepEqual(findDuplicates(demo.learners.map((l) => l.email)), []);
    assert.deepEqual(findDuplicates(demo.learners.map((l) => l.studentId)), []);
  });

  test('courses have realistic codes and a level that matches the number', () => {
    for (const course of demo.courses) {
      const match = /^[A-Z]{2,4} (\d{3})$/.exec(course.code);
      assert.ok(match?.[1], `bad course code ${course.code}`);
      assert.equal(course.level, Number(match[1]) >= 500 ? 'graduate' : 'undergraduate', course.code);
      assert.ok(Number.isInteger(course.credits) && course.credits > 0, course.code);
    }
  });

  test('there are about 45 programs with the intended mix', () => {
    const count = (pick: (p: Program) => boolean) => demo.programs.filter(pick).length;
    assert.ok(demo.programs.length >= 40 && demo.programs.length <= 50, `${demo.programs.length} programs`);
    assert.ok(count((p) => p.level === 'graduate') >= 6 && count((p) => p.level === 'graduate') <= 10);
    assert.equal(
      count((p) => p.status === 'draft'),
      3,
    );
    assert.equal(
      count((p) => p.status === 'retired'),
      1,
    );
    assert.ok(count((p) => p.status === 'pilot') >= 4 && count((p) => p.status === 'pilot') <= 6);
    assert.ok(
      count((p) => p.creditType === 'non_credit') >= 8 && count((p) => p.creditType === 'non_credit') <= 12,
    );
    assert.ok(count((p) => p.creditType === 'hybrid') >= 4 && count((p) => p.creditType === 'hybrid') <= 6);
    const using = (type: string) => count((p) => listRuleTypes(p.requirement).includes(type));
    assert.ok(using('choose') >= 8, 'about ten programs offer a choice');
    assert.ok(using('credits') >= 4, 'several programs set a credit minimum');
    assert.ok(using('experience') >= 3, 'several programs need applied experience');
    assert.ok(using('within') >= 2, 'a couple of programs have a time limit');
    assert.ok(count((p) => p.stacksInto.length > 0) >= 5, 'about six programs stack into certificates');
  });

  test('program text fields are well formed', () => {
    const departmentCodes = new Set(demo.departments.map((d) => d.code));
    for (const p of demo.programs) {
      assert.equal(p.slug, kebab(p.title), p.title);
      assert.ok(departmentCodes.has(p.department), `${p.slug}: unknown department ${p.department}`);
      assert.ok(p.summary.length > 0 && p.summary.length <= 160, `${p.slug}: summary length`);
      const sentences = p.description.split(/(?<=\.)\s+/).length;
      assert.ok(sentences >= 2 && sentences <= 4, `${p.slug}: description has ${sentences} sentences`);
      assert.ok(p.outcomes.length >= 3 && p.outcomes.length <= 4, `${p.slug}: outcomes`);
      for (const outcome of p.outcomes) {
        // Outcomes open with a verb, so they never start with the learner or an article.
        assert.match(outcome, /^[A-Z][a-z]+[ ,].+\.$/, `${p.slug}: ${outcome}`);
        assert.doesNotMatch(
          outcome,
          /^(The|A|An|This|Students|Learners|Participants) /,
          `${p.slug}: ${outcome}`,
        );
      }
      assert.ok(p.enrolmentPaths.length > 0, `${p.slug}: enrolment paths`);
      assert.ok(p.feeCents > 0, `${p.slug}: fee`);
    }
  });

  test('skills have 3-5 entries and about a third carry a framework alignment', () => {
    const all = demo.programs.flatMap((p) => p.skills);
    for (const p of demo.programs) assert.ok(p.skills.length >= 3 && p.skills.length <= 5, p.slug);
    for (const skill of all.filter((s) => s.framework === 'O*NET-SOC')) {
      assert.match(skill.code ?? '', /^\d{2}-\d{4}\.\d{2}$/, skill.name);
      assert.equal(skill.url, `https://www.onetonline.org/link/summary/${skill.code}`);
    }
    for (const skill of all.filter((s) => s.framework === 'ESCO')) {
      assert.match(
        skill.url ?? '',
        /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
      );
    }
    const share = all.filter((s) => s.framework !== undefined).length / all.length;
    assert.ok(share >= 0.2 && share <= 0.5, `aligned share ${share}`);
  });

  test('program courses exist, match the program level and are exactly those the requirement uses', () => {
    for (const p of demo.programs) {
      assert.ok(p.courses.length >= 3 && p.courses.length <= 4, `${p.slug}: ${p.courses.length} courses`);
      for (const code of p.courses) {
        const course = coursesByCode.get(code);
        assert.ok(course, `${p.slug}: unknown course ${code}`);
        assert.equal(course.level, p.level, `${p.slug}: ${code} level`);
      }
      const named = new Set(listRuleCourses(p.requirement));
      for (const code of named) assert.ok(p.courses.includes(code), `${p.slug}: requirement names ${code}`);
      assert.deepEqual([...p.courses].sort(), [...named].sort(), `${p.slug}: unused course`);
    }
  });

  test('credit ranges are reachable from the program courses', () => {
    for (const p of demo.programs) {
      assert.ok(p.credits.min > 0 && p.credits.min <= p.credits.max, p.slug);
      const total = p.courses.reduce((sum, code) => sum + (coursesByCode.get(code)?.credits ?? 0), 0);
      assert.ok(total >= p.credits.min, `${p.slug}: ${total} credits cannot reach ${p.credits.min}`);
    }
  });

  test('pilot years, leads and certificates are consistent', () => {
    const leads = new Set(demo.users.filter((u) => u.roles.includes('program_lead')).map((u) => u.email));
    const certificates = new Set(demo.certificates.map((c) => c.slug));
    for (const p of demo.programs) {
      assert.ok(leads.has(p.lead), `${p.slug}: lead ${p.lead} is not a program lead`);
      for (const slug of p.stacksInto)
        assert.ok(certificates.has(slug), `${p.slug}: unknown certificate ${slug}`);
      if (p.status === 'pilot') assert.ok([2024, 2025, 2026].includes(p.pilotStartYear ?? 0), p.slug);
      else assert.equal(p.pilotStartYear, undefined, p.slug);
    }
  });

  test('certificate courses exist, are listed once and match the certificate level', () => {
    for (const c of demo.certificates) {
      assert.deepEqual(findDuplicates(c.courses.map((course) => course.code)), [], c.slug);
      for (const { code } of c.courses)
        assert.equal(coursesByCode.get(code)?.level, c.level, `${c.slug}: ${code}`);
    }
  });

  test('each role has exactly one demo account, plus a second program lead', () => {
    for (const role of ROLES) {
      const holders = demo.users.filter((u) => u.roles.includes(role));
      assert.equal(holders.length, role === 'program_lead' ? 2 : 1, role);
    }
    for (const user of demo.users) assert.match(user.email, /^[a-z0-9]+@cascaderidge\.example$/);
  });

  test('the demo learner account has one enrolment at each early and final stage', () => {
    const learner = demo.learners.find((l) => l.email === 'learner@cascaderidge.example');
    assert.ok(learner, 'learner@ must be a learner');
    assert.ok(demo.users.some((u) => u.email === learner.email && u.roles.includes('learner')));
    assert.deepEqual(learner.enrolments.map((e) => e.stage).sort(), [
      'badge_issued',
      'half_way',
      'just_enrolled',
    ]);
  });

  test('learners cover all stages and statuses, on established or pilot programs', () => {
    const programs = new Map(demo.programs.map((p) => [p.slug, p]));
    const stages = new Set(demo.learners.flatMap((l) => l.enrolments.map((e) => e.stage)));
    const statuses = new Set(demo.learners.map((l) => l.status));
    assert.deepEqual([...stages].sort(), ['badge_issued', 'complete', 'half_way', 'just_enrolled']);
    assert.deepEqual([...statuses].sort(), ['current', 'degree_seeking', 'non_degree_seeking', 'returning']);
    for (const learner of demo.learners) {
      assert.match(learner.studentId, /^C\d{8}$/);
      for (const e of learner.enrolments) {
        const program = programs.get(e.program);
        assert.ok(program, `${learner.email}: unknown program ${e.program}`);
        assert.ok(['established', 'pilot'].includes(program.status), `${e.program} is ${program.status}`);
      }
    }
  });

  test('completions agree with each enrolment stage', () => {
    const programs = new Map(demo.programs.map((p) => [p.slug, p]));
    for (const learner of demo.learners) {
      for (const e of learner.enrolments) {
        const where = `${learner.email} in ${e.program}`;
        const program = programs.get(e.program);
        assert.ok(program, where);
        assert.match(e.enrolledOn, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(!Number.isNaN(Date.parse(e.enrolledOn)), where);
        const [year = 0, month = 0] = e.enrolledOn.split('-').map(Number);
        for (const c of e.completions) {
          assert.ok(program.courses.includes(c.course), `${where}: ${c.course} is not in the program`);
          assert.match(c.term, /^\d{4} (Winter|Spring|Summer|Fall)$/, where);
          assert.ok(c.grade === 'P' || c.grade in GRADE_POINTS, `${where}: grade ${c.grade}`);
          assert.ok(
            termToMonths(c.term) + 3 > year * 12 + month - 1,
            `${where}: ${c.term} ends before enrolling`,
          );
        }
        const progress = measureProgress(program.requirement, e.completions);
        if (e.stage === 'just_enrolled') assert.equal(e.completions.length, 0, where);
        if (e.stage === 'half_way') assert.ok(progress >= 0.25 && progress <= 0.75, `${where}: ${progress}`);
        if (e.stage === 'complete' || e.stage === 'badge_issued') assert.equal(progress, 1, where);
      }
    }
  });
});
