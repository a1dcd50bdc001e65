import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import {
  AppError,
  type FieldProblem,
  forbidden,
  invalid,
  invalidState,
  notFound,
} from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { Level } from '../programs/program-vocabulary.ts';
import { splitCourseCode } from './academic-structure.ts';
import type { CatalogEvents, SavedTerm, TermFacts } from './catalog.events.ts';
import { type CatalogAction, mayConfirmCourse, mayDo } from './catalog.policy.ts';
import type { CourseStatus } from './course-vocabulary.ts';
import { StructureRepository } from './structure.repository.ts';
import type { StructureKind } from './structure-import-file.ts';
import {
  type BatchRow,
  type Outcome,
  type PlannedRow,
  planBatch,
  type WriteMode,
} from './structure-plans.ts';

export type { BatchRow, Outcome, WriteMode } from './structure-plans.ts';

/**
 * Where a batch's record sits, for its problems: the prefix of their field paths (`[2].`, `line 5: `) and the
 * record's index in a JSON array or line in a file.
 */
export type ItemPlace = (position: number) => { prefix: string; index?: number; line?: number };

/** What a batch does (or did), record by record, for the preview page and the API. */
export interface StructurePreview {
  kind: StructureKind;
  rows: Omit<PlannedRow, 'write' | 'before' | 'after'>[];
  counts: Record<Outcome, number>;
}

/** A course a program proposal names before the catalog has it. */
export interface ProposedCourse {
  code: string;
  title: string;
  credits: number;
  level: Level;
  departmentCode: string;
}

export const COURSES_PAGE_SIZE = 25;

const entityOf: Record<StructureKind, string> = {
  departments: 'department',
  terms: 'term',
  courses: 'course',
};

/**
 * The registrar's academic structure: departments, terms and courses, edited one at a time, imported from the
 * student system's files, or sent through the API. Every write is one transaction with its audit entries.
 */
export class AcademicStructureService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly events: EventPublisher<CatalogEvents>,
    private readonly repository = new StructureRepository(),
  ) {}

  async departments(actor: Actor) {
    this.#authorize(actor, 'view_structure');
    return {
      departments: await this.repository.listDepartments(this.database.db),
      canChange: mayDo(actor, 'change_structure'),
      canImport: mayDo(actor, 'import_structure'),
    };
  }

  async terms(actor: Actor) {
    this.#authorize(actor, 'view_structure');
    return {
      terms: await this.repository.listTerms(this.database.db),
      canChange: mayDo(actor, 'change_structure'),
      canImport: mayDo(actor, 'import_structure'),
    };
  }

  /**
   * Every term with its code, name and last day, for the modules that read a file's terms by them (completions
   * imports, tracking lists). Not a page: no one's permission to ask, the caller's own rules apply.
   */
  async registeredTerms(db: Db) {
    return (await this.repository.listTerms(db)).map(({ code, name, endsOn }) => ({ code, name, endsOn }));
  }

  /** One page of courses, `page` from 1; proposed courses can be asked for alone, to confirm them. */
  async courses(actor: Actor, filter: { q?: string; status?: CourseStatus; page?: number }) {
    this.#authorize(actor, 'view_structure');
    const page = Math.max(1, filter.page ?? 1);
    const db = this.database.db;
    const [{ rows, total }, proposed] = await Promise.all([
      this.repository.listCourses(db, {
        q: filter.q,
        status: filter.status,
        limit: COURSES_PAGE_SIZE,
        offset: (page - 1) * COURSES_PAGE_SIZE,
      }),
      this.repository.listCourses(db, { status: 'proposed', limit: 0, offset: 0 }),
    ]);
    return {
      courses: rows.map((c) => ({ ...c, canConfirm: c.status === 'proposed' && mayConfirmCourse(actor, c) })),
      total,
      page,
      pageCount: Math.max(1, Math.ceil(total / COURSES_PAGE_SIZE)),
      proposedCount: proposed.total,
      canChange: mayDo(actor, 'change_structure'),
      canImport: mayDo(actor, 'import_structure'),
    };
  }

  async course(actor: Actor, code: string) {
    this.#authorize(actor, 'view_structure');
    const [course] = await this.repository.findCourses(this.database.db, [code]);
    if (!course) throw notFound('That course');
    return {
      course,
      canChange: mayDo(actor, 'change_structure'),
      canConfirm: course.status === 'proposed' && mayConfirmCourse(actor, course),
    };
  }

  /** Department codes and names, for the course form's choice of department. */
  async departmentChoices(actor: Actor) {
    this.#authorize(actor, 'view_structure');
    return (await this.repository.listDepartments(this.database.db)).map((d) => ({
      value: d.code,
      label: `${d.code} – ${d.name}`,
    }));
  }

  /** One record from a form. Problems come back with the form's own field names. */
  async saveOne(
    actor: Actor,
    kind: StructureKind,
    values: Record<string, unknown>,
    mode: WriteMode,
  ): Promise<Outcome> {
    this.#authorize(actor, 'change_structure');
    const [row] = await this.#write(
      actor,
      kind,
      [{ position: 1, values }],
      mode,
      () => ({ prefix: '' }),
      'VALIDATION_FAILED',
    );
    return row!.outcome;
  }

  /** What a batch would do, writing nothing. */
  async preview(actor: Actor, kind: StructureKind, rows: readonly BatchRow[]): Promise<StructurePreview> {
    this.#authorize(actor, 'import_structure');
    return summarize(kind, await planBatch(this.repository, this.database.db, actor, kind, rows, 'upsert'));
  }

  /**
   * Writes a batch in one transaction, or nothing when any record is refused (UNPROCESSABLE: every problem of
   * every record is reported, placed by `placeOf(position)`). Sending the same batch again changes nothing.
   */
  async applyBatch(
    actor: Actor,
    kind: StructureKind,
    rows: readonly BatchRow[],
    placeOf: ItemPlace,
  ): Promise<StructurePreview> {
    this.#authorize(actor, 'import_structure');
    return summarize(kind, await this.#write(actor, kind, rows, 'upsert', placeOf, 'UNPROCESSABLE'));
  }

  async setCourseActive(actor: Actor, code: string, isActive: boolean): Promise<void> {
    this.#authorize(actor, 'change_structure');
    await this.database.db.transaction().execute(async (trx) => {
      const [course] = await this.repository.findCourses(trx, [code]);
      if (!course) throw notFound('That course');
      if (course.isActive === isActive) return;
      await this.repository.updateCourse(trx, code, { isActive });
      await this.audit.record(trx, actor, {
        action: isActive ? 'course.reactivated' : 'course.deactivated',
        entityType: 'course',
        entityId: code,
        before: { active: course.isActive },
        after: { active: isActive },
      });
    });
  }

  async confirmCourse(actor: Actor, code: string): Promise<void> {
    this.#authorize(actor, 'confirm_course');
    await this.database.db.transaction().execute(async (trx) => {
      const [course] = await this.repository.findCourses(trx, [code]);
      if (!course) throw notFound('That course');
      if (course.status !== 'proposed') throw invalidState(`${code} is already confirmed.`);
      if (!mayConfirmCourse(actor, course)) {
        throw forbidden('You proposed this course; another registrar or administrator confirms it.');
      }
      await this.repository.updateCourse(trx, code, { status: 'confirmed' });
      await this.audit.record(trx, actor, {
        action: 'course.confirmed',
        entityType: 'course',
        entityId: code,
        before: { status: 'proposed' },
        after: { status: 'confirmed' },
      });
    });
  }

  /** Which of these course codes the catalog already has (proposed or confirmed). */
  async knownCourseCodes(db: Db, codes: readonly string[]): Promise<Set<string>> {
    return new Set((await this.repository.findCourses(db, codes)).map((c) => c.code));
  }

  /**
   * Adds the courses a program proposal names that the catalog lacks, as proposed, inside the proposal's own
   * transaction; the registrar confirms them later. Codes already there are left as they are.
   */
  async proposeCoursesWithin(trx: Tx, actor: Actor, courses: readonly ProposedCourse[]): Promise<string[]> {
    const known = await this.knownCourseCodes(
      trx,
      courses.map((c) => c.code),
    );
    const added: string[] = [];
    for (const course of courses.filter((c) => !known.has(c.code))) {
      const parts = splitCourseCode(course.code);
      if (!parts)
        throw invalid([{ field: 'courses', reason: `names ${course.code}, which is not a course code` }]);
      await this.repository.insertCourse(trx, {
        code: course.code,
        ...parts,
        title: course.title,
        credits: course.credits,
        level: course.level,
        department_code: course.departmentCode,
        status: 'proposed',
        proposed_by: actor.id,
      });
      await this.audit.record(trx, actor, {
        action: 'course.proposed',
        entityType: 'course',
        entityId: course.code,
        after: {
          title: course.title,
          credits: course.credits,
          level: course.level,
          department: course.departmentCode,
        },
      });
      added.push(course.code);
    }
    return added;
  }

  async #write(
    actor: Actor,
    kind: StructureKind,
    rows: readonly BatchRow[],
    mode: WriteMode,
    placeOf: ItemPlace,
    refusal: 'VALIDATION_FAILED' | 'UNPROCESSABLE',
  ): Promise<PlannedRow[]> {
    return this.database.db.transaction().execute(async (trx) => {
      const plan = await planBatch(this.repository, trx, actor, kind, rows, mode);
      const problems: FieldProblem[] = plan.flatMap((row) => {
        const { prefix, ...place } = placeOf(row.position);
        return row.problems.map((p) => ({ field: `${prefix}${p.field}`, reason: p.reason, ...place }));
      });
      if (problems.length > 0) {
        const message =
          refusal === 'VALIDATION_FAILED'
            ? 'Some fields need attention.'
            : 'Some records need attention; nothing was saved.';
        throw new AppError(refusal, message, problems);
      }
      const changed = plan.filter((row) => row.write);
      for (const row of changed) await row.write!(trx);
      if (kind === 'terms') {
        const terms = changed.flatMap((row): SavedTerm[] => {
          const after = termFacts(row.after);
          if (row.outcome === 'create') return [{ code: row.key, before: null, after }];
          const before = termFacts(row.before);
          return before.name !== after.name || before.endsOn !== after.endsOn
            ? [{ code: row.key, before, after }]
            : [];
        });
        if (terms.length > 0) await this.events.publish(trx, 'terms.saved', { terms });
      }
      await this.audit.recordMany(
        trx,
        actor,
        changed.map((row) => ({
          action: `${entityOf[kind]}.${row.outcome === 'create' ? 'created' : 'updated'}`,
          entityType: entityOf[kind],
          entityId: row.key,
          before: row.before,
          after: row.after,
        })),
      );
      return plan;
    });
  }

  #authorize(actor: Actor, action: CatalogAction): void {
    if (!mayDo(actor, action))
      throw forbidden('Only the registrar and administrators keep the academic structure.');
  }
}

/** A planned term's name and last day (see planTerms: `before` and `after` carry them). */
const termFacts = (values: Record<string, unknown> | undefined): TermFacts => ({
  name: String(values?.name),
  endsOn: String(values?.endsOn),
});

function summarize(kind: StructureKind, plan: PlannedRow[]): StructurePreview {
  const counts: Record<Outcome, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const row of plan) counts[row.outcome] += 1;
  return {
    kind,
    rows: plan.map(({ position, key, outcome, changes, problems }) => ({
      position,
      key,
      outcome,
      changes,
      problems,
    })),
    counts,
  };
}
