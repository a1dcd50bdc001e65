import { type Insertable, sql } from 'kysely';
import { userNames, userRoleRows } from '../accounts/accounts.queries.ts';
import { certificateNames, courseRows, departmentNames } from '../catalog/catalog.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { ProgramsTable } from '../platform/db/schema.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import type { Role } from '../platform/roles.ts';
import type { ProgramFields, ProposalFields } from './program-form.ts';
import type { ProgramState } from './program-vocabulary.ts';
import type { ProposalFileKind, SignerStatus } from './programs.tables.ts';
import { type StepDecision, stepDecisionColumns } from './step-decisions.ts';

/** A program row with its lead's name, as every page about a program reads it. */
export type ProgramRow = NonNullable<Awaited<ReturnType<ProgramsRepository['findProgram']>>>;

const programColumns = [
  'p.id',
  'p.slug',
  'p.title',
  'p.summary',
  'p.description',
  'p.department_code',
  'p.level',
  'p.credits_min',
  'p.credits_max',
  'p.credit_type',
  'p.issuing_office',
  'p.status',
  'p.pilot_start_year',
  'p.pilot_started_on',
  'p.fee_cents',
  'p.validity_years',
  'p.renewal_requirement',
  'p.outcomes',
  'p.skills',
  'p.requirement',
  'p.stacks_into',
  'p.enrolment_paths',
  'p.contacts',
  'p.delivery_mode',
  'p.audience',
  'p.lead_user_id',
  'p.version',
  'p.created_at',
  'p.updated_at',
] as const;

/** The columns a program's descriptive fields map to (shared by insert and update). */
function programValues(fields: ProgramFields) {
  return {
    slug: fields.slug,
    title: fields.title,
    summary: fields.summary,
    description: fields.description,
    department_code: fields.departmentCode,
    level: fields.level,
    credits_min: fields.creditsMin,
    credits_max: fields.creditsMax,
    credit_type: fields.creditType,
    issuing_office:
      fields.creditType === 'non_credit' ? ('credentials_office' as const) : ('registrar' as const),
    fee_cents: fields.feeCents,
    validity_years: fields.validityYears,
    renewal_requirement: fields.renewalRequirement ? JSON.stringify(fields.renewalRequirement) : null,
    outcomes: JSON.stringify(fields.outcomes),
    skills: JSON.stringify(fields.skills),
    requirement: JSON.stringify(fields.requirement),
    stacks_into: JSON.stringify(fields.stacksInto),
    enrolment_paths: JSON.stringify(fields.enrolmentPaths),
    contacts: JSON.stringify(fields.contacts),
    delivery_mode: fields.deliveryMode,
    audience: fields.audience,
  };
}

/** SQL for programs, their proposals, signers, files, approvals, versions, pilot reviews and reminders. */
export class ProgramsRepository {
  // ---- programs -------------------------------------------------------------------------------------------

  findProgram(db: Db, id: string) {
    return programWithNames(db, id).executeTakeFirst();
  }

  /** Locks the program row for the rest of the transaction, so two decisions cannot race. */
  async lockProgram(db: Db, id: string): Promise<ProgramState | undefined> {
    const row = await db
      .selectFrom('programs')
      .select('status')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row?.status;
  }

  async courseCodes(db: Db, programId: string): Promise<string[]> {
    const rows = await courseCodesOf(db, programId).execute();
    return rows.map((r) => r.course_code);
  }

  async replaceCourses(db: Db, programId: string, codes: readonly string[]): Promise<void> {
    await db.deleteFrom('program_courses').where('program_id', '=', programId).execute();
    if (codes.length === 0) return;
    await db
      .insertInto('program_courses')
      .values(codes.map((course_code, position) => ({ program_id: programId, course_code, position })))
      .execute();
  }

  /** A whole program row as given (the demo university's programs arrive in any state). */
  async insertProgramRow(db: Db, row: Insertable<ProgramsTable>): Promise<void> {
    await db.insertInto('programs').values(row).execute();
  }

  async insertProgram(db: Db, id: string, leadId: string, fields: ProgramFields): Promise<void> {
    await db
      .insertInto('programs')
      .values({ id, ...programValues(fields), status: 'draft', lead_user_id: leadId })
      .execute();
  }

  /** Overwrites the descriptive fields; returns false when the row is no longer at `expectedVersion`. */
  async updateProgram(
    db: Db,
    id: string,
    fields: ProgramFields,
    expectedVersion: number,
    newVersion: number,
  ): Promise<boolean> {
    const result = await db
      .updateTable('programs')
      .set({ ...programValues(fields), version: newVersion, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
    let query = db.selectFrom('programs').select('id').where('slug', '=', slug);
    if (exceptId) query = query.where('id', '<>', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  async setStatus(db: Db, id: string, status: ProgramState): Promise<void> {
    await db.updateTable('programs').set({ status, updated_at: sql`now()` }).where('id', '=', id).execute();
  }

  async markEstablished(db: Db, id: string, on: string): Promise<void> {
    await db.updateTable('programs').set({ established_on: on }).where('id', '=', id).execute();
  }

  async startPilot(db: Db, id: string, startedOn: string, startYear: number): Promise<void> {
    await db
      .updateTable('programs')
      .set({ pilot_started_on: startedOn, pilot_start_year: startYear })
      .where('id', '=', id)
      .execute();
  }

  /** How many programs `listPrograms` would find with this filter, for paging. */
  async countPrograms(db: Db, filter: { leadId?: string; status?: ProgramState }): Promise<number> {
    let query = db.selectFrom('programs as p').select(sql<number>`count(*)`.as('count'));
    if (filter.leadId) query = query.where('p.lead_user_id', '=', filter.leadId);
    if (filter.status) query = query.where('p.status', '=', filter.status);
    return Number((await query.executeTakeFirstOrThrow()).count);
  }

  listPrograms(db: Db, filter: { leadId?: string; status?: ProgramState; limit?: number; offset?: number }) {
    let query = db
      .selectFrom('programs as p')
      .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
      .leftJoin(departmentNames(db).as('d'), 'd.code', 'p.department_code')
      .select([
        'p.id',
        'p.slug',
        'p.title',
        'p.status',
        'p.credit_type',
        'p.level',
        'p.version',
        'p.updated_at',
        'u.name as lead_name',
        'd.name as department_name',
      ]);
    if (filter.leadId) query = query.where('p.lead_user_id', '=', filter.leadId);
    if (filter.status) query = query.where('p.status', '=', filter.status);
    return query
      .orderBy('p.title')
      .orderBy('p.id')
      .limit(filter.limit ?? 1000)
      .offset(filter.offset ?? 0)
      .execute();
  }

  /** The titles of these courses (a program's rule names a few; the catalog may hold thousands). */
  async courseTitles(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await db
      .selectFrom(courseRows(db).as('k'))
      .select(['code', 'title'])
      .where('code', 'in', codes)
      .execute();
    return new Map(rows.map((row) => [row.code, row.title]));
  }

  async references(db: Db) {
    const [departments, courses, certificates] = await Promise.all([
      db.selectFrom(departmentNames(db).as('d')).select(['code', 'name']).orderBy('name').execute(),
      db
        .selectFrom(courseRows(db).as('k'))
        .select(['code', 'title', 'credits', 'level'])
        .orderBy('code')
        .execute(),
      db.selectFrom(certificateNames(db).as('c')).select(['slug', 'title']).orderBy('title').execute(),
    ]);
    return { departments, courses, certificates };
  }

  // ---- proposals, notes and files -------------------------------------------------------------------------

  findProposal(db: Db, programId: string) {
    return proposalOf(db, programId).executeTakeFirst();
  }

  async saveProposal(
    db: Db,
    programId: string,
    fields: ProposalFields,
    missingFields: readonly string[] = [],
  ): Promise<void> {
    const values = {
      missing_fields: JSON.stringify(missingFields),
      rationale: fields.rationale,
      assessment_plan: fields.assessmentPlan,
      market_analysis: fields.marketAnalysis,
      financial_model: fields.financialModel,
      marketing_plan: fields.marketingPlan,
      is_interdisciplinary: fields.isInterdisciplinary,
      has_third_party: fields.hasThirdParty,
    };
    await db
      .insertInto('proposals')
      .values({ program_id: programId, ...values })
      .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
  }

  async saveFullProposalSummary(db: Db, programId: string, summary: string): Promise<void> {
    await db
      .insertInto('proposals')
      .values({ program_id: programId, full_proposal_summary: summary })
      .onConflict((oc) =>
        oc.column('program_id').doUpdateSet({ full_proposal_summary: summary, updated_at: sql`now()` }),
      )
      .execute();
  }

  async insertNote(
    db: Db,
    note: { id: string; programId: string; authorId: string; authorName: string; body: string },
  ): Promise<void> {
    await db
      .insertInto('proposal_notes')
      .values({
        id: note.id,
        program_id: note.programId,
        author_id: note.authorId,
        author_name: note.authorName,
        body: note.body,
      })
      .execute();
  }

  listNotes(db: Db, programId: string) {
    return db
      .selectFrom('proposal_notes')
      .select(['id', 'author_name', 'body', 'created_at'])
      .where('program_id', '=', programId)
      .orderBy('created_at')
      .execute();
  }

  /** Stores a file, replacing the program's earlier file of the same kind; returns the replaced file's hash. */
  async saveFile(
    db: Db,
    file: {
      id: string;
      programId: string;
      kind: ProposalFileKind;
      filename: string;
      contentType: string;
      content: Uint8Array;
      sha256: string;
      uploadedBy: string;
    },
  ): Promise<string | undefined> {
    const previous = await db
      .selectFrom('proposal_files')
      .select('sha256')
      .where('program_id', '=', file.programId)
      .where('kind', '=', file.kind)
      .executeTakeFirst();
    await db
      .deleteFrom('proposal_files')
      .where('program_id', '=', file.programId)
      .where('kind', '=', file.kind)
      .execute();
    await db
      .insertInto('proposal_files')
      .values({
        id: file.id,
        program_id: file.programId,
        kind: file.kind,
        filename: file.filename,
        content_type: file.contentType,
        size_bytes: file.content.byteLength,
        sha256: file.sha256,
        content: file.content,
        uploaded_by: file.uploadedBy,
      })
      .execute();
    return previous?.sha256;
  }

  listFiles(db: Db, programId: string) {
    return filesOf(db, programId).execute();
  }

  findFile(db: Db, programId: string, fileId: string) {
    return db
      .selectFrom('proposal_files')
      .select(['id', 'kind', 'filename', 'content_type', 'size_bytes', 'content'])
      .where('program_id', '=', programId)
      .where('id', '=', fileId)
      .executeTakeFirst();
  }

  // ---- signers --------------------------------------------------------------------------------------------

  listSigners(db: Db, programId: string) {
    return signersOf(db, programId).execute();
  }

  async insertSigner(
    db: Db,
    signer: { id: string; programId: string; userId: string; name: string; email: string; roleLabel: string },
  ): Promise<void> {
    await db
      .insertInto('proposal_signers')
      .values({
        id: signer.id,
        program_id: signer.programId,
        user_id: signer.userId,
        name: signer.name,
        email: signer.email,
        role_label: signer.roleLabel,
        position: sql<number>`(select coalesce(max(position), 0) + 1 from proposal_signers where program_id = ${signer.programId})`,
      })
      .execute();
  }

  async deleteSigner(db: Db, programId: string, signerId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('proposal_signers')
      .where('program_id', '=', programId)
      .where('id', '=', signerId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async decideSignature(
    db: Db,
    signerId: string,
    status: Exclude<SignerStatus, 'pending'>,
    comment: string | null,
    at: Date,
  ): Promise<void> {
    await db
      .updateTable('proposal_signers')
      .set({ status, comment, decided_at: at })
      .where('id', '=', signerId)
      .execute();
  }

  /** Signatures given to a proposal that has since changed no longer count. */
  async resetSignatures(db: Db, programId: string, statuses: readonly SignerStatus[]): Promise<void> {
    await db
      .updateTable('proposal_signers')
      .set({ status: 'pending', comment: null, decided_at: null })
      .where('program_id', '=', programId)
      .where('status', 'in', [...statuses])
      .execute();
  }

  // ---- approval steps (the chains themselves are in approval-chains.repository.ts) -------------------------

  async insertApprovalStep(
    db: Db,
    step: StepDecision & { programId: string; chainKey: string },
  ): Promise<void> {
    await db
      .insertInto('approval_steps')
      .values({ program_id: step.programId, chain_key: step.chainKey, ...stepDecisionColumns(step) })
      .execute();
  }

  listApprovalSteps(db: Db, programId: string) {
    return approvalStepsOf(db, programId).execute();
  }

  async clearApprovalSteps(db: Db, programId: string, chainKey: string, at: Date): Promise<void> {
    await db
      .updateTable('approval_steps')
      .set({ cleared_at: at })
      .where('program_id', '=', programId)
      .where('chain_key', '=', chainKey)
      .where('cleared_at', 'is', null)
      .execute();
  }

  // ---- versions -------------------------------------------------------------------------------------------

  /** Writes a version once; a second write of the same version is ignored (versions never change). */
  async insertVersion(
    db: Db,
    version: {
      programId: string;
      version: number;
      snapshot: unknown;
      note: string;
      createdBy: string | null;
    },
  ): Promise<void> {
    await db
      .insertInto('program_versions')
      .values({
        program_id: version.programId,
        version: version.version,
        snapshot: JSON.stringify(version.snapshot),
        change_note: version.note,
        created_by: version.createdBy,
      })
      .onConflict((oc) => oc.columns(['program_id', 'version']).doNothing())
      .execute();
  }

  listVersions(db: Db, programId: string) {
    return db
      .selectFrom('program_versions as v')
      .leftJoin(userNames(db).as('u'), 'u.id', 'v.created_by')
      .select(['v.version', 'v.change_note', 'v.created_at', 'u.name as created_by_name'])
      .where('v.program_id', '=', programId)
      .orderBy('v.version', 'desc')
      .execute();
  }

  findVersion(db: Db, programId: string, version: number) {
    return db
      .selectFrom('program_versions')
      .select(['version', 'snapshot', 'change_note', 'created_at'])
      .where('program_id', '=', programId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  // ---- people ---------------------------------------------------------------------------------------------

  /** An active person by account id, to write to a step's named person. */
  findActivePerson(db: Db, id: string) {
    return db
      .selectFrom(userNames(db).as('u'))
      .select(['u.id', 'u.name', 'u.email'])
      .where('u.id', '=', id)
      .where('u.status', '=', 'active')
      .executeTakeFirst();
  }

  findUserByEmail(db: Db, email: string) {
    return db
      .selectFrom(userNames(db).as('u'))
      .select(['id', 'name', 'email', 'status'])
      .where(sql`lower(email)`, '=', normaliseEmail(email))
      .executeTakeFirst();
  }

  async findProgramIdBySlug(db: Db, slug: string): Promise<string | undefined> {
    return (await db.selectFrom('programs').select('id').where('slug', '=', slug).executeTakeFirst())?.id;
  }

  /** A person as an actor (with roles), for work done on their behalf such as the demo workflow. */
  findActorByEmail(db: Db, email: string) {
    return db
      .selectFrom(userNames(db).as('u'))
      .select([
        'u.id',
        'u.name',
        'u.email',
        sql<
          Role[]
        >`coalesce((select array_agg(r.role order by r.role) from ${userRoleRows(db)} r where r.user_id = u.id), '{}')`.as(
          'roles',
        ),
      ])
      .where(sql`lower(u.email)`, '=', normaliseEmail(email))
      .executeTakeFirst();
  }

  /** Active people holding any of `roles`, to notify. */
  usersWithRoles(db: Db, roles: readonly Role[]) {
    if (roles.length === 0) return Promise.resolve([]);
    return db
      .selectFrom(userNames(db).as('u'))
      .select(['u.id', 'u.name', 'u.email'])
      .where('u.status', '=', 'active')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom(userRoleRows(db).as('r'))
            .select('r.user_id')
            .whereRef('r.user_id', '=', 'u.id')
            .where('r.role', 'in', [...roles]),
        ),
      )
      .orderBy('u.name')
      .execute();
  }

  // ---- inbox ----------------------------------------------------------------------------------------------

  pendingSignaturesOf(db: Db, userId: string) {
    return db
      .selectFrom('proposal_signers as s')
      .innerJoin('programs as p', 'p.id', 's.program_id')
      .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
      .select(['s.id as signer_id', 's.role_label', 'p.id', 'p.title', 'p.updated_at', 'u.name as lead_name'])
      .where('s.user_id', '=', userId)
      .where('s.status', '=', 'pending')
      .where('p.status', '=', 'awaiting_signatures')
      .orderBy('p.updated_at')
      .execute();
  }

  programsInStatus(db: Db, statuses: readonly ProgramState[]) {
    if (statuses.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('programs as p')
      .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
      .select(['p.id', 'p.title', 'p.status', 'p.updated_at', 'u.name as lead_name', 'p.lead_user_id'])
      .where('p.status', 'in', [...statuses])
      .orderBy('p.updated_at')
      .execute();
  }

  /** Step keys approved (and not cleared) per program, for the programs given. */
  async liveApprovals(
    db: Db,
    programIds: readonly string[],
    chainKey: string,
  ): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (programIds.length === 0) return map;
    const rows = await db
      .selectFrom('approval_steps')
      .select(['program_id', 'step_key'])
      .where('program_id', 'in', [...programIds])
      .where('chain_key', '=', chainKey)
      .where('decision', '=', 'approved')
      .where('cleared_at', 'is', null)
      .execute();
    for (const row of rows) map.set(row.program_id, [...(map.get(row.program_id) ?? []), row.step_key]);
    return map;
  }
}

// ---- the pieces of a program's workflow record -------------------------------------------------------------
// Each is read on its own above and all together by workflow-record.repository.ts, from these same queries.

/** A program with its lead's and department's names. */
export function programWithNames(db: Db, id: string) {
  return db
    .selectFrom('programs as p')
    .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
    .leftJoin(departmentNames(db).as('d'), 'd.code', 'p.department_code')
    .select(programColumns)
    .select(['u.name as lead_name', 'u.email as lead_email', 'd.name as department_name'])
    .where('p.id', '=', id);
}

/** The codes of the courses a program names, in the lead's order. */
export const courseCodesOf = (db: Db, programId: string) =>
  db
    .selectFrom('program_courses')
    .select('course_code')
    .where('program_id', '=', programId)
    .orderBy('position');

export const proposalOf = (db: Db, programId: string) =>
  db.selectFrom('proposals').selectAll().where('program_id', '=', programId);

export const filesOf = (db: Db, programId: string) =>
  db
    .selectFrom('proposal_files')
    .select(['id', 'kind', 'filename', 'content_type', 'size_bytes', 'sha256', 'uploaded_at'])
    .where('program_id', '=', programId)
    .orderBy('kind', 'desc');

export const signersOf = (db: Db, programId: string) =>
  db
    .selectFrom('proposal_signers')
    .select(['id', 'user_id', 'name', 'email', 'role_label', 'status', 'comment', 'decided_at'])
    .where('program_id', '=', programId)
    .orderBy('position');

export const approvalStepsOf = (db: Db, programId: string) =>
  db
    .selectFrom('approval_steps')
    .select([
      'chain_key',
      'step_key',
      'step_name',
      'decision',
      'decided_by_name',
      'comment',
      'decided_at',
      'cleared_at',
    ])
    .where('program_id', '=', programId)
    .orderBy('decided_at');
