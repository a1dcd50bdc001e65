import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { type CatalogAction, certificateFlagsFor, EDIT_REFUSAL, mayActOn } from './catalog.policy.ts';
import {
  type CertificateContent,
  type CertificateForm,
  formOf,
  freeSlug,
  readCertificateForm,
  slugFrom,
} from './certificate-content.ts';
import { CertificateVersionsRepository } from './certificate-versions.repository.ts';
import { type CreditPlan, planCredits } from './pathway.ts';

/** A badge the editor offers; `namesIt` when its own proposal already stacks it into this certificate. */
export interface BadgeOption {
  id: string;
  title: string;
  namesIt: boolean;
}

/** One row of a certificate's history, as the editor lists it. */
export interface VersionEntry {
  version: number;
  title: string;
  note: string;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  updatedBy: string | null;
  publishedAt: Date | null;
  publishedBy: string | null;
  isCurrent: boolean;
}

/** Everything the editor page shows, with what this person may do there. */
export interface CertificateEditorView {
  slug: string;
  publishedVersion: number | null;
  draftVersion: number | null;
  /** The draft when one is open, otherwise the published version. */
  form: CertificateForm;
  badges: BadgeOption[];
  plan: CreditPlan;
  versions: VersionEntry[];
  /** A slug is stable once published: links to the public page are out in the world. */
  canChangeSlug: boolean;
  canEdit: boolean;
  canPublish: boolean;
}

const BEFORE_VERSIONING = 'As published before certificates had versions';

/**
 * Staff editing of certificates, versioned like programs: saving writes a draft version (a new one, or the open
 * draft again), publishing copies it to what the public pathway pages read. Every change is audited in the
 * same transaction.
 */
export class CertificateEditorService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly repository = new CertificateVersionsRepository(),
  ) {}

  #authorize(actor: AuditActor, action: CatalogAction) {
    if (!mayActOn(actor, action)) {
      throw forbidden(
        action === 'read_certificate_drafts' ? 'You may not open certificate drafts.' : EDIT_REFUSAL,
      );
    }
  }

  /** Every certificate, published or not, for the staff list. */
  async list(actor: AuditActor) {
    this.#authorize(actor, 'read_certificate_drafts');
    const rows = await this.repository.staffList(this.database.db);
    return { certificates: rows, ...certificateFlagsFor(actor) };
  }

  /** The blank form for a new certificate, with the badges it may count. */
  async blank(actor: AuditActor) {
    this.#authorize(actor, 'edit_certificates');
    const programs = await this.repository.offeredPrograms(this.database.db);
    return { badges: programs.map((p) => ({ id: p.id, title: p.title, namesIt: false })) };
  }

  async view(actor: AuditActor, slug: string): Promise<CertificateEditorView> {
    this.#authorize(actor, 'read_certificate_drafts');
    const db = this.database.db;
    const row = await this.repository.find(db, slug);
    if (!row) throw notFound('That certificate');
    const [draft, published, history, programs] = await Promise.all([
      this.repository.openDraft(db, slug),
      this.repository.publishedContent(db, slug),
      this.repository.versions(db, slug),
      this.repository.offeredPrograms(db),
    ]);
    const content = draft?.content ?? published;
    if (!content) throw notFound('That certificate');
    const namesIt = (p: { stacksInto: string[] }) => p.stacksInto.includes(slug);
    const counted = programs.filter((p) => namesIt(p) || content.programIds.includes(p.id));
    const courses = await this.repository.courses(
      db,
      content.courses.map((c) => c.code),
    );
    const credits = new Map(courses.map((c) => [c.code, c.credits]));
    const plan = planCredits(
      content,
      counted,
      content.courses.map((c) => ({ credits: credits.get(c.code) ?? 0, isRequired: c.required })),
    );
    const versions = history.map((v) => ({
      version: v.version,
      title: v.content.title,
      note: v.note,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      updatedAt: v.updatedAt,
      updatedBy: v.updatedBy,
      publishedAt: v.publishedAt,
      publishedBy: v.publishedBy,
      isCurrent: v.version === row.published_version && v.publishedAt !== null,
    }));
    // A certificate published before versioning has no history row yet: show its current state as one.
    if (versions.length === 0 && row.published_version !== null) {
      versions.push({
        version: row.published_version,
        title: row.title,
        note: BEFORE_VERSIONING,
        createdAt: row.updated_at,
        createdBy: null,
        updatedAt: row.updated_at,
        updatedBy: null,
        publishedAt: row.updated_at,
        publishedBy: null,
        isCurrent: true,
      });
    }
    const flags = certificateFlagsFor(actor);
    return {
      slug,
      publishedVersion: row.published_version,
      draftVersion: draft?.version ?? null,
      form: { ...formOf(content, slug), note: draft?.note ?? '' },
      badges: programs.map((p) => ({ id: p.id, title: p.title, namesIt: namesIt(p) })),
      plan,
      versions,
      canChangeSlug: row.published_version === null && flags.canEdit,
      canEdit: flags.canEdit,
      canPublish: flags.canPublish && draft !== undefined,
    };
  }

  /** A new certificate, as a first draft nobody outside the staff sees. Returns its slug. */
  async create(actor: AuditActor, form: CertificateForm): Promise<string> {
    this.#authorize(actor, 'edit_certificates');
    const read = readCertificateForm(form);
    if (!read.ok) throw invalid(read.problems);
    const written = this.database.db.transaction().execute(async (trx) => {
      await this.#checkReferences(trx, read.content);
      let slug: string;
      if (read.slug) {
        if (await this.#slugTaken(trx, read.slug)) throw invalid([slugTaken]);
        slug = read.slug;
      } else {
        slug = await freeSlug(slugFrom(read.content.title), (s) => this.#slugTaken(trx, s));
      }
      await this.repository.insertUnpublished(trx, slug, read.content);
      await this.repository.insertVersion(trx, {
        slug,
        version: 1,
        content: read.content,
        note: read.note,
        by: personOf(actor),
      });
      await this.audit.record(trx, actor, {
        action: 'certificate.created',
        entityType: 'certificate',
        entityId: slug,
        after: { version: 1, ...read.content },
      });
      return slug;
    });
    // Someone else took the same slug between the check and the insert.
    return written.catch((error: unknown) => {
      throw isSlugClash(error) ? invalid([slugTaken]) : error;
    });
  }

  /** Saves the form as the open draft (a new version when none is open). Returns the slug, which may change. */
  async saveDraft(actor: AuditActor, slug: string, form: CertificateForm): Promise<string> {
    this.#authorize(actor, 'edit_certificates');
    const read = readCertificateForm(form);
    if (!read.ok) throw invalid(read.problems);
    const written = this.database.db.transaction().execute(async (trx) => {
      const row = await this.repository.lock(trx, slug);
      if (!row) throw notFound('That certificate');
      await this.#checkReferences(trx, read.content);
      await this.#ensureBaseVersion(trx, slug, row.published_version);
      let current = slug;
      if (read.slug && read.slug !== slug) {
        if (row.published_version !== null) {
          throw invalid([{ field: 'slug', reason: 'cannot change once the certificate is published' }]);
        }
        if (await this.#slugTaken(trx, read.slug)) throw invalid([slugTaken]);
        await this.repository.rename(trx, slug, read.slug);
        current = read.slug;
      }
      const draft = await this.repository.openDraft(trx, current);
      const before = draft?.content ?? (await this.repository.publishedContent(trx, current));
      let version: number;
      if (draft) {
        version = draft.version;
        await this.repository.updateDraft(trx, current, version, read.content, read.note, personOf(actor));
      } else {
        version = (await this.repository.latestVersion(trx, current)) + 1;
        await this.repository.insertVersion(trx, {
          slug: current,
          version,
          content: read.content,
          note: read.note,
          by: personOf(actor),
        });
      }
      await this.audit.record(trx, actor, {
        action: 'certificate.draft_saved',
        entityType: 'certificate',
        entityId: current,
        before: before ? { slug, ...before } : null,
        after: { slug: current, version, ...read.content },
      });
      return current;
    });
    return written.catch((error: unknown) => {
      throw isSlugClash(error) ? invalid([slugTaken]) : error;
    });
  }

  /** Publishes the open draft: from now on the public pathway page shows it. Returns the version published. */
  async publish(actor: AuditActor, slug: string): Promise<number> {
    this.#authorize(actor, 'publish_certificates');
    return this.database.db.transaction().execute(async (trx) => {
      const row = await this.repository.lock(trx, slug);
      if (!row) throw notFound('That certificate');
      const draft = await this.repository.openDraft(trx, slug);
      if (!draft) throw invalidState('There is no draft to publish: save a change first.');
      // Courses or badges may have gone since the draft was saved.
      await this.#checkReferences(trx, draft.content);
      await this.#ensureBaseVersion(trx, slug, row.published_version);
      const before =
        row.published_version === null ? null : await this.repository.publishedContent(trx, slug);
      await this.repository.applyPublished(trx, slug, draft.version, draft.content);
      await this.repository.markPublished(trx, slug, draft.version, personOf(actor));
      await this.audit.record(trx, actor, {
        action: 'certificate.published',
        entityType: 'certificate',
        entityId: slug,
        before: before ? { version: row.published_version, ...before } : null,
        after: { version: draft.version, ...draft.content },
      });
      return draft.version;
    });
  }

  /** Taken by a certificate, or by the editor's own address (`/certificates/new`). */
  async #slugTaken(db: Db, slug: string): Promise<boolean> {
    return RESERVED_SLUGS.has(slug) || this.repository.slugTaken(db, slug);
  }

  /** A certificate published before versioning gets its published state kept as a version before any change. */
  async #ensureBaseVersion(trx: Db, slug: string, publishedVersion: number | null) {
    if (publishedVersion === null || (await this.repository.latestVersion(trx, slug)) > 0) return;
    const row = await this.repository.find(trx, slug);
    const content = await this.repository.publishedContent(trx, slug);
    if (!row || !content) return;
    await this.repository.insertVersion(trx, {
      slug,
      version: publishedVersion,
      content,
      note: BEFORE_VERSIONING,
      by: null,
      publishedAt: row.updated_at,
    });
  }

  /** Every course must be in the catalog and every badge offered; each problem names its field. */
  async #checkReferences(db: Db, content: CertificateContent) {
    const problems: FieldProblem[] = [];
    const known = new Set(
      (
        await this.repository.courses(
          db,
          content.courses.map((c) => c.code),
        )
      ).map((c) => c.code),
    );
    for (const [field, required] of [
      ['requiredCourses', true],
      ['electiveCourses', false],
    ] as const) {
      const unknown = content.courses
        .filter((c) => c.required === required && !known.has(c.code))
        .map((c) => c.code);
      if (unknown.length > 0) {
        problems.push({ field, reason: `names ${unknown.join(', ')}, not in the course catalog` });
      }
    }
    if (content.programIds.length > 0) {
      const offered = new Set((await this.repository.offeredPrograms(db)).map((p) => p.id));
      if (content.programIds.some((id) => !offered.has(id))) {
        problems.push({ field: 'programIds', reason: 'includes a badge that is no longer offered' });
      }
    }
    if (problems.length > 0) throw invalid(problems);
  }
}

/** The person to name as a version's author; an API client or the command line is in the audit log instead. */
const personOf = (actor: AuditActor): string | null => ('system' in actor ? null : actor.id);

/** The certificates' primary key refused a slug, on PostgreSQL and PGlite alike. */
function isSlugClash(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'certificates_pkey';
}

const RESERVED_SLUGS: ReadonlySet<string> = new Set(['new']);
const slugTaken: FieldProblem = { field: 'slug', reason: 'is already used by another certificate' };
