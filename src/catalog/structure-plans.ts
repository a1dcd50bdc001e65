/**
 * Works out what writing a batch of departments, terms or courses would do, record by record: create, update,
 * leave unchanged, or refuse with the fields at fault. The same plan is the preview (shown before a CSV import,
 * or returned for `?dryRun=true`) and, made again inside the writing transaction, the list of writes, so what is
 * written is what the rules allow at that moment.
 */
import type { Actor } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { FieldProblem } from '../platform/errors.ts';
import {
  type Checked,
  checkCourse,
  checkDepartment,
  checkTerm,
  courseCodeOf,
  guessLevel,
  type RawRecord,
} from './academic-structure.ts';
import { mayConfirmCourse } from './catalog.policy.ts';
import type { CourseStatus } from './course-vocabulary.ts';
import type { StoredCourse, StructureRepository } from './structure.repository.ts';
import type { StructureKind } from './structure-import-file.ts';

export type Outcome = 'create' | 'update' | 'unchanged' | 'error';

/** One record of a batch: where it came from (a file's line or an array's index) and what it says. */
export interface BatchRow {
  position: number;
  values: RawRecord;
}

/** What writing one record does. `write` is absent for unchanged and refused records. */
export interface PlannedRow {
  position: number;
  key: string;
  outcome: Outcome;
  /** The fields a write changes (for an update). */
  changes: string[];
  problems: FieldProblem[];
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  write?: (db: Db) => Promise<void>;
}

/** `create` and `update` say what a form means to do; a batch (import or API) is `upsert`. */
export type WriteMode = 'upsert' | 'create' | 'update';

interface Checked1<T> {
  row: BatchRow;
  key: string;
  checked: Checked<T>;
}

/** Checks every row and refuses a key seen earlier in the same batch. */
function checkAll<T>(
  rows: readonly BatchRow[],
  check: (raw: RawRecord) => Checked<T>,
  keyOf: (value: T) => string,
  keyField: string,
): Checked1<T>[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const checked = check(row.values);
    if (!checked.ok) return { row, key: '', checked };
    const key = keyOf(checked.value);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const problem = { field: keyField, reason: `repeats ${key}, given earlier at ${earlier}` };
      return { row, key, checked: { ok: false, problems: [problem] } };
    }
    seen.set(key, row.position);
    return { row, key, checked };
  });
}

const refused = (row: BatchRow, key: string, problems: FieldProblem[]): PlannedRow => ({
  position: row.position,
  key,
  outcome: 'error',
  changes: [],
  problems,
});

/** Create, update or unchanged, from what is stored and what is asked; or refused by the form's mode. */
function decide(
  row: BatchRow,
  key: string,
  keyField: string,
  mode: WriteMode,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  write: (db: Db) => Promise<void>,
): PlannedRow {
  if (before && mode === 'create')
    return refused(row, key, [{ field: keyField, reason: `${key} already exists` }]);
  if (!before && mode === 'update')
    return refused(row, key, [{ field: keyField, reason: `${key} does not exist` }]);
  const changes = before ? Object.keys(after).filter((k) => before[k] !== after[k]) : [];
  const outcome: Outcome = !before ? 'create' : changes.length > 0 ? 'update' : 'unchanged';
  return {
    position: row.position,
    key,
    outcome,
    changes,
    problems: [],
    before,
    after,
    write: outcome === 'unchanged' ? undefined : write,
  };
}

/** Plans a batch of one kind against what `db` holds now. */
export function planBatch(
  repository: StructureRepository,
  db: Db,
  actor: Actor,
  kind: StructureKind,
  rows: readonly BatchRow[],
  mode: WriteMode,
): Promise<PlannedRow[]> {
  if (kind === 'departments') return planDepartments(repository, db, rows, mode);
  if (kind === 'terms') return planTerms(repository, db, rows, mode);
  return planCourses(repository, db, actor, rows, mode);
}

async function planDepartments(
  repository: StructureRepository,
  db: Db,
  rows: readonly BatchRow[],
  mode: WriteMode,
) {
  const checked = checkAll(rows, checkDepartment, (v) => v.code, 'code');
  const valid = checked.flatMap((c) => (c.checked.ok ? [c.checked.value] : []));
  const stored = new Map(
    (
      await repository.findDepartments(
        db,
        valid.map((v) => v.code),
      )
    ).map((d) => [d.code, d]),
  );
  const heads = await repository.accountsByEmail(
    db,
    valid.flatMap((v) => (v.headEmail ? [v.headEmail] : [])),
  );
  return checked.map(({ row, key, checked: c }): PlannedRow => {
    if (!c.ok) return refused(row, key, c.problems);
    const { code, name, headEmail } = c.value;
    const headUserId = headEmail ? heads.get(headEmail) : null;
    if (headUserId === undefined) {
      return refused(row, key, [
        { field: 'head', reason: 'is not the e-mail address of anyone with an account here' },
      ]);
    }
    const old = stored.get(code);
    const before = old ? { name: old.name, head: old.headEmail?.toLowerCase() ?? null } : undefined;
    return decide(row, key, 'code', mode, before, { name, head: headEmail }, (w) =>
      repository.saveDepartment(w, { code, name, headUserId }),
    );
  });
}

async function planTerms(
  repository: StructureRepository,
  db: Db,
  rows: readonly BatchRow[],
  mode: WriteMode,
) {
  const checked = checkAll(rows, checkTerm, (v) => v.code, 'code');
  const codes = checked.flatMap((c) => (c.checked.ok ? [c.checked.value.code] : []));
  const stored = new Map((await repository.findTerms(db, codes)).map((t) => [t.code, t]));
  return checked.map(({ row, key, checked: c }): PlannedRow => {
    if (!c.ok) return refused(row, key, c.problems);
    const value = c.value;
    const old = stored.get(value.code);
    const before = old ? { name: old.name, startsOn: old.startsOn, endsOn: old.endsOn } : undefined;
    const after = { name: value.name, startsOn: value.startsOn, endsOn: value.endsOn };
    return decide(row, key, 'code', mode, before, after, (w) => repository.saveTerm(w, value));
  });
}

const comparable = (c: StoredCourse) => ({
  title: c.title,
  credits: c.credits,
  level: c.level,
  department: c.departmentCode,
  active: c.isActive,
  status: c.status,
});

async function planCourses(
  repository: StructureRepository,
  db: Db,
  actor: Actor,
  rows: readonly BatchRow[],
  mode: WriteMode,
) {
  const checked = checkAll(rows, checkCourse, (v) => courseCodeOf(v.subject, v.number), 'number');
  const codes = checked.flatMap((c) => (c.checked.ok ? [c.key] : []));
  const stored = new Map((await repository.findCourses(db, codes)).map((c) => [c.code, c]));
  const departments = await repository.departmentCodes(db);
  // Said together with the record's other problems, so one correction fixes them all.
  const unknownDepartment = (raw: RawRecord): FieldProblem[] => {
    const code = typeof raw.department === 'string' ? raw.department.trim().toUpperCase() : '';
    return code !== '' && !departments.has(code)
      ? [{ field: 'department', reason: `${code} is not a department here` }]
      : [];
  };
  return checked.map(({ row, key, checked: c }): PlannedRow => {
    if (!c.ok) return refused(row, key, [...c.problems, ...unknownDepartment(row.values)]);
    const value = c.value;
    if (!departments.has(value.departmentCode)) {
      return refused(row, key, [
        { field: 'department', reason: `${value.departmentCode} is not a department here` },
      ]);
    }
    const old = stored.get(key);
    // A form edits a course as it stands; a batch from the student system also confirms a proposed one, unless
    // the person sending it proposed the course (they may not confirm their own).
    const status: CourseStatus =
      old && old.status === 'proposed' && (mode === 'update' || !mayConfirmCourse(actor, old))
        ? 'proposed'
        : 'confirmed';
    const after = {
      title: value.title,
      credits: value.credits,
      level: value.level ?? old?.level ?? guessLevel(value.number),
      department: value.departmentCode,
      active: value.isActive ?? old?.isActive ?? true,
      status,
    };
    return decide(row, key, 'number', mode, old ? comparable(old) : undefined, after, async (w) => {
      const fields = {
        title: after.title,
        credits: after.credits,
        level: after.level,
        departmentCode: after.department,
        isActive: after.active,
        status: after.status,
      };
      if (old) await repository.updateCourse(w, key, fields);
      else {
        await repository.insertCourse(w, {
          code: key,
          subject: value.subject,
          number: value.number,
          title: fields.title,
          credits: fields.credits,
          level: fields.level,
          department_code: fields.departmentCode,
          is_active: fields.isActive,
          status: 'confirmed',
        });
      }
    });
  });
}
