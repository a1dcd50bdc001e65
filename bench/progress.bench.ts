/**
 * progress_50k: the requirements of 50,000 learners, each enrolled in one to three of the demo
 * university's programs, evaluated in one pass (src/requirements: parseRule + evaluateRule).
 *
 * Ours: each program's rule is parsed once, each learner's record is assembled once (course facts from
 * a map), then every enrolment is evaluated. Baseline: the naive way, everything redone per enrolment:
 * the stored rule is parsed again from its JSON text and the record rebuilt from the registrar's rows
 * with a scan of the course list for each row. Both must reach the same results, or the bench fails.
 * Data generation is not timed; what is timed is the computing, not the database.
 */
import {
  type CourseCompletion,
  coursesInRule,
  type ExperienceSignOff,
  evaluateRule,
  type LearnerRecord,
  parseRule,
  type Rule,
} from '../src/requirements/index.ts';
import { type BenchDefinition, compareDuration, metric } from './support/harness.ts';
import { readDemoUniversity, seededRandom } from './support/seeded-random.ts';

const LEARNERS = 50_000;
const AS_OF = '2026-06-15';
const GRADES = ['A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D', 'P', 'F', 'W', 'I', 'NP'];

/** A completion as the registrar's feed reports it: no credits or level, those come from the catalogue. */
interface RegistrarRow {
  course: string;
  grade: string;
  completedOn: string;
}

interface GeneratedLearner {
  rows: RegistrarRow[];
  experiences: ExperienceSignOff[];
  enrolments: number[];
}

export default {
  name: 'progress',
  description: 'requirement progress of 50,000 learners across the demo programs',
  async run(log) {
    const { programs, courses } = readDemoUniversity();
    const ruleJson = programs.map((program) => JSON.stringify(program.requirement));
    const rules = ruleJson.map((json) => parseRule(JSON.parse(json)));
    const learners = generateLearners(
      rules,
      courses.map((course) => course.code),
    );
    const enrolments = learners.reduce((sum, learner) => sum + learner.enrolments.length, 0);
    log(`${LEARNERS} learners, ${enrolments} enrolments across ${programs.length} programs`);

    const courseByCode = new Map(courses.map((course) => [course.code, course]));
    const ours = (): number[] => {
      const parsed = ruleJson.map((json) => parseRule(JSON.parse(json)));
      const results: number[] = [];
      for (const learner of learners) {
        const record = recordFrom(learner, (code) => courseByCode.get(code));
        for (const program of learner.enrolments) {
          results.push(evaluateRule(parsed[program]!, record, { asOf: AS_OF }).percent);
        }
      }
      return results;
    };
    const naive = (): number[] => {
      const results: number[] = [];
      for (const learner of learners) {
        for (const program of learner.enrolments) {
          const rule = parseRule(JSON.parse(ruleJson[program]!));
          const record = recordFrom(learner, (code) => courses.find((course) => course.code === code));
          results.push(evaluateRule(rule, record, { asOf: AS_OF }).percent);
        }
      }
      return results;
    };

    const oursResult = ours();
    const naiveResult = naive();
    if (oursResult.join() !== naiveResult.join()) throw new Error('The two ways disagree on some learner.');
    const complete = oursResult.filter((percent) => percent === 100).length;
    const started = oursResult.filter((percent) => percent > 0 && percent < 100).length;
    log(
      `${complete} enrolments complete, ${started} under way, ${oursResult.length - complete - started} not started`,
    );

    const timing = await compareDuration({ ours, baseline: naive }, { rounds: 5, warmupRounds: 1 });
    return {
      metrics: {
        progress_50k: metric({
          unit: 'ms',
          ours: timing.ours!.median,
          baseline: timing.baseline!.median,
          better: 'lower',
          description: `evaluate ${enrolments} enrolments of ${LEARNERS} learners (one thread); baseline re-parses the rule and rebuilds the record per enrolment`,
          rounds: { ours: timing.ours!.rounds, baseline: timing.baseline!.rounds },
          cpuTime: { unit: 'CPU ms', ours: timing.ours!.cpuMs, baseline: timing.baseline!.cpuMs },
        }),
      },
      details: {
        learners: LEARNERS,
        enrolments,
        programs: programs.length,
        complete,
        started,
        target: 'at most 2000 ms',
      },
    };
  },
} satisfies BenchDefinition;

function recordFrom(
  learner: GeneratedLearner,
  courseInfo: (code: string) => { credits: number; level: 'undergraduate' | 'graduate' } | undefined,
): LearnerRecord {
  const completions: CourseCompletion[] = learner.rows.map((row) => {
    const info = courseInfo(row.course);
    return {
      course: row.course,
      credits: info?.credits ?? 0,
      level: info?.level ?? 'undergraduate',
      grade: row.grade,
      completedOn: row.completedOn,
    };
  });
  return { completions, experiences: learner.experiences, substitutions: [] };
}

/** Learners with completions mostly in their programs' courses, some failed or withdrawn, some elsewhere. */
function generateLearners(rules: readonly Rule[], allCourses: readonly string[]): GeneratedLearner[] {
  const random = seededRandom(20260615);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const day = () =>
    `${2019 + Math.floor(random() * 8)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const ruleCourses = rules.map(coursesInRule);
  const ruleExperiences = rules.map((rule) => experienceKeys(rule));
  return Array.from({ length: LEARNERS }, () => {
    const enrolments = new Set<number>();
    const wanted = 1 + Math.floor(random() * 3);
    while (enrolments.size < wanted) enrolments.add(Math.floor(random() * rules.length));
    const rows: RegistrarRow[] = [];
    const experiences: ExperienceSignOff[] = [];
    const progress = random();
    for (const program of enrolments) {
      for (const course of ruleCourses[program]!) {
        if (random() < progress) rows.push({ course, grade: pick(GRADES), completedOn: day() });
        if (random() < 0.1) rows.push({ course, grade: pick(GRADES), completedOn: day() });
      }
      for (const key of ruleExperiences[program]!) {
        if (random() < progress)
          experiences.push({ key, signedOffOn: day(), signedOffBy: 'lead@cascaderidge.example' });
      }
    }
    const extra = Math.floor(random() * 4);
    for (let i = 0; i < extra; i += 1)
      rows.push({ course: pick(allCourses), grade: pick(GRADES), completedOn: day() });
    return { rows, experiences, enrolments: [...enrolments] };
  });
}

function experienceKeys(rule: Rule): string[] {
  switch (rule.type) {
    case 'experience':
      return [rule.key];
    case 'all':
    case 'choose':
      return rule.rules.flatMap(experienceKeys);
    case 'within':
      return experienceKeys(rule.rule);
    default:
      return [];
  }
}
