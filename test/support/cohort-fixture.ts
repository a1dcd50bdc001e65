/**
 * A large graduating cohort on the demo university, for the bulk-issuing benchmark: `count` new learners,
 * each with passing completions of every course of one of a few non-credit programs, and the tracking
 * list (CSV) the credentials office would upload for them. Learners and completions are written straight
 * into the tables, since what is measured is issuing, not the student-system import.
 */

import type { App } from '../../src/app.ts';
import type { Actor } from '../../src/platform/actor.ts';
import { newId } from '../../src/platform/ids.ts';

/** Non-credit programs whose rule is "complete these courses" (no grade floor, no time window). */
const PROGRAMS = [
  'project-management',
  'conversational-spanish',
  'persuasive-communication',
  'wine-business-essentials',
];
const HEADER =
  'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort,fee_waived,notes';
const WRITE_CHUNK = 1000;

export interface Cohort {
  /** The tracking list, as uploaded. */
  csv: string;
  /** The credentials office person who uploads it. */
  office: Actor;
  /** Another person, an administrator, who checks and commits it: nobody commits a list they uploaded. */
  committer: Actor;
}

/**
 * Adds the cohort's learners and completions. `tag` keeps student ids and e-mail addresses of several
 * cohorts in one database apart (each benchmark round issues a cohort of its own).
 */
export async function prepareCohort(app: Pick<App, 'database'>, count: number, tag: string): Promise<Cohort> {
  const db = app.database.db;
  const programs = await db
    .selectFrom('programs as p')
    .innerJoin('program_courses as pc', 'pc.program_id', 'p.id')
    .select(['p.slug', 'pc.course_code'])
    .where('p.slug', 'in', PROGRAMS)
    .execute();
  const coursesOf = new Map<string, string[]>();
  for (const row of programs) coursesOf.set(row.slug, [...(coursesOf.get(row.slug) ?? []), row.course_code]);

  const lines = [HEADER];
  for (let start = 0; start < count; start += WRITE_CHUNK) {
    const learners = [];
    const completions = [];
    for (let i = start; i < Math.min(count, start + WRITE_CHUNK); i++) {
      const slug = PROGRAMS[i % PROGRAMS.length]!;
      const id = newId();
      const studentId = `B${tag.toUpperCase()}${String(i).padStart(6, '0')}`;
      const email = `cohort.${tag}.${i}@students.cascaderidge.example`;
      const [first, last] = [`Learner${i}`, `Cohort ${tag}`];
      learners.push({
        id,
        email,
        name: `${first} ${last}`,
        student_id: studentId,
        status: 'current' as const,
      });
      for (const course of coursesOf.get(slug) ?? []) {
        completions.push({
          id: newId(),
          learner_id: id,
          course_code: course,
          term: '2026 Summer',
          grade: 'P',
          credits: 0,
          completed_on: '2026-08-15',
        });
      }
      lines.push(
        `${studentId},${email},${first},${last},${slug},2026-10-20,2026 Fall,non_credit,Fall 2026 ${tag},,`,
      );
    }
    await db.insertInto('learners').values(learners).execute();
    await db.insertInto('completions').values(completions).execute();
  }
  const person = (email: string) =>
    db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const user = await person('credentials@cascaderidge.example');
  const admin = await person('admin@cascaderidge.example');
  return {
    csv: `${lines.join('\n')}\n`,
    office: { ...user, roles: ['credentials_office'] },
    committer: { ...admin, roles: ['admin'] },
  };
}
