import type { AuditService } from '../audit/audit.service.ts';
import type { AcademicStructureService } from '../catalog/structure.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { AppError, forbidden, invalid, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { assertCanView, cannotEdit, loadProgram } from './loaded-program.ts';
import {
  type FormValues,
  type KnownReferences,
  type NewCourse,
  type ProgramFields,
  parseProgramFields,
  parseProposalFields,
} from './program-form.ts';
import type { ProgramModificationsService, SavedChange } from './program-modifications.service.ts';
import { changedFields, fieldsOf, type ProgramSnapshot } from './program-state.ts';
import { ensureVersion } from './program-versions.ts';
import { editModeOf, mayDo } from './programs.policy.ts';
import type { ProgramsRepository } from './programs.repository.ts';
import { acceptFiles, type UploadedFile } from './proposal-files.ts';

/** What proposals need of the catalog's structure service: naming a course it does not have yet. */
export type CourseProposals = Pick<AcademicStructureService, 'proposeCoursesWithin'>;

/**
 * Writing programs down: a lead's draft proposal with its files, edits to a draft in place, and edits to an
 * offered program, each of which becomes a new version while credentials keep the version they were issued under.
 */
export class ProposalDraftingService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly institution: InstitutionService,
    private readonly repository: ProgramsRepository,
    private readonly courses: CourseProposals,
    private readonly modifications: ProgramModificationsService,
  ) {}

  /** Departments, courses and certificates the proposal form offers, and the institution's default fee. */
  async formReferences() {
    const lists = await this.repository.references(this.database.db);
    return { ...lists, defaultFeeCents: (await this.institution.get()).default_fee_cents };
  }

  /** The values the edit form starts from, and whether the edit makes a new version. */
  async editForm(actor: Actor, programId: string) {
    const loaded = await loadProgram(this.database.db, programId);
    assertCanView(actor, loaded);
    const mode = editModeOf(actor, loaded.program);
    if (!mode) throw cannotEdit(loaded.program.status);
    // A change being drafted is continued from where its author left it, not from the approved version.
    const drafted = mode === 'version' ? await this.modifications.openFields(programId) : undefined;
    return {
      program: loaded.program,
      fields: drafted ?? fieldsOf(loaded.program, loaded.courses),
      proposal: loaded.proposal,
      files: loaded.files,
      mode,
    };
  }

  /** A program lead's new proposal, saved as a draft with its files. Returns the new program's id. */
  async draftProposal(actor: Actor, values: FormValues, files: readonly UploadedFile[]): Promise<string> {
    if (!mayDo(actor, 'draft_proposal')) throw forbidden('Only program leads can draft a proposal.');
    const { fields, proposal, accepted, newCourses, missing } = await this.#readForm(values, files, true);
    const id = newId();
    await this.database.db.transaction().execute(async (trx) => {
      if (await this.repository.slugTaken(trx, fields.slug)) {
        throw invalid([{ field: 'slug', reason: 'is already used by another program' }]);
      }
      await this.repository.insertProgram(trx, id, actor.id, fields);
      await this.#proposeCourses(trx, actor, fields, newCourses);
      await this.repository.replaceCourses(trx, id, fields.courses);
      await this.repository.saveProposal(trx, id, proposal!, missing);
      for (const file of accepted) {
        await this.repository.saveFile(trx, { id: newId(), programId: id, ...file, uploadedBy: actor.id });
      }
      await this.audit.record(trx, actor, {
        action: 'program.drafted',
        entityType: 'program',
        entityId: id,
        after: { title: fields.title, slug: fields.slug, files: accepted.map((f) => f.kind) },
      });
    });
    return id;
  }

  /**
   * Saves an edit. A draft is changed in place (with its proposal and files); an edit of an offered program
   * (pilot or established) is a wording fix published at once or a proposed change (see
   * `ProgramModificationsService.saveWithin`).
   */
  async editProgram(
    actor: Actor,
    programId: string,
    values: FormValues,
    files: readonly UploadedFile[],
    options: { expectedVersion: number; changeNote?: string },
  ): Promise<{
    version: number;
    changed: string[];
    mode: 'draft' | 'version';
    outcome?: SavedChange['outcome'];
  }> {
    const start = await loadProgram(this.database.db, programId);
    assertCanView(actor, start);
    const mode = editModeOf(actor, start.program);
    if (!mode) throw cannotEdit(start.program.status);
    const isDraft = mode === 'draft';
    // The address of an offered program is public, so it stays as it is.
    const read = await this.#readForm(
      isDraft ? values : { ...values, slug: start.program.slug },
      isDraft ? files : [],
      isDraft,
    );
    const note = (options.changeNote ?? '').trim().slice(0, 1000);
    return this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      const program = (await this.repository.findProgram(trx, programId))!;
      if (status !== start.program.status || program.version !== options.expectedVersion) {
        throw new AppError(
          'CONFLICT',
          'Someone else changed this program meanwhile. Reload it and edit again.',
        );
      }
      if (await this.repository.slugTaken(trx, read.fields.slug, programId)) {
        throw invalid([{ field: 'slug', reason: 'is already used by another program' }]);
      }
      const courses = await this.repository.courseCodes(trx, programId);
      const changed: string[] = changedFields(fieldsOf(program, courses), read.fields);
      if (isDraft) {
        await this.repository.updateProgram(trx, programId, read.fields, program.version, program.version);
        await this.#proposeCourses(trx, actor, read.fields, read.newCourses);
        await this.repository.replaceCourses(trx, programId, read.fields.courses);
        await this.repository.saveProposal(trx, programId, read.proposal!, read.missing);
        for (const file of read.accepted) {
          await this.repository.saveFile(trx, { id: newId(), programId, ...file, uploadedBy: actor.id });
          changed.push(file.kind);
        }
        await this.audit.record(trx, actor, {
          action: 'program.edited',
          entityType: 'program',
          entityId: programId,
          after: { changed, proposal: true },
        });
        return { version: program.version, changed, mode };
      }
      // An approved program changes only through `ProgramModificationsService`: a wording fix by the office is
      // published, anything else waits for the modification chain while the approved version stays public.
      const saved = await this.modifications.saveWithin(trx, actor, program, courses, read.fields, note);
      return { version: saved.version, changed: saved.changed, mode, outcome: saved.outcome };
    });
  }

  /** The program as it stands now, as a version. Credentials record this version number when they are issued. */
  async currentVersion(programId: string): Promise<ProgramSnapshot> {
    return this.database.db.transaction().execute(async (trx) => {
      const program = await this.repository.findProgram(trx, programId);
      if (!program) throw notFound('That program');
      return ensureVersion(this.repository, trx, program, await this.repository.courseCodes(trx, programId));
    });
  }

  findVersion(programId: string, version: number) {
    return this.repository.findVersion(this.database.db, programId, version);
  }

  /** Reads and checks a form; the references and slug are checked here, files by `acceptFiles`. */
  async #readForm(values: FormValues, files: readonly UploadedFile[], withProposal: boolean) {
    const lists = await this.repository.references(this.database.db);
    const known: KnownReferences = {
      departments: new Set(lists.departments.map((d) => d.code)),
      courses: new Set(lists.courses.map((c) => c.code)),
      certificates: new Set(lists.certificates.map((c) => c.slug)),
    };
    // Only a draft may name courses the catalog lacks (an offered program's courses are all in the catalog), and
    // only a draft may be saved unfinished.
    const program = parseProgramFields(values, known, {
      mayProposeCourses: withProposal,
      isDraft: withProposal,
    });
    const proposal = withProposal ? parseProposalFields(values) : undefined;
    const { accepted, problems: fileProblems } = acceptFiles(files);
    const problems = [
      ...(program.ok ? [] : program.problems),
      ...(proposal && !proposal.ok ? proposal.problems : []),
      ...fileProblems,
    ];
    if (problems.length > 0 || !program.ok) throw invalid(problems);
    return {
      fields: program.value as ProgramFields,
      proposal: proposal?.ok ? proposal.value : undefined,
      accepted,
      newCourses: program.newCourses,
      missing: program.missing,
    };
  }

  /** Adds the courses the proposal names that the catalog lacks, as proposed, in the proposal's transaction. */
  async #proposeCourses(trx: Tx, actor: Actor, fields: ProgramFields, newCourses: readonly NewCourse[]) {
    if (newCourses.length === 0) return;
    await this.courses.proposeCoursesWithin(
      trx,
      actor,
      newCourses.map((c) => ({ ...c, level: fields.level, departmentCode: fields.departmentCode })),
    );
  }
}
