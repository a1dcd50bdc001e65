import type { Insertable } from 'kysely';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import type { Institution, InstitutionTable } from '../platform/db/schema.ts';
import type { Display } from '../platform/display.ts';
import { forbidden, refused } from '../platform/errors.ts';
import { normaliseHex, primaryColourProblem } from './brand-contrast.ts';
import { type InstitutionAction, mayDo } from './institution.policy.ts';
import { InstitutionRepository } from './institution.repository.ts';
import { type ProfileInput, type ProfileRow, profileInputOf, readProfile } from './institution-profile.ts';
import { checkLogo } from './logo-file.ts';
import { logoPath } from './logo-path.ts';

/**
 * Shown before the institution is set up (a database with no demo and no settings yet). It names the software,
 * not a made-up university, so an empty install never passes for a real institution.
 */
const placeholder: Institution = {
  id: 1,
  name: 'Stackable',
  short_name: 'Stackable',
  url: 'https://example.edu',
  email: 'credentials@example.edu',
  phone: '',
  address: '',
  description: '',
  primary_colour: '#0b4f6c',
  accent_colour: '#b3541e',
  academic_year_start_month: 9,
  periodic_review_years: 5,
  default_fee_cents: 1000,
  time_zone: '',
  currency: 'USD',
  fee_policy: '',
  admissions_url: '',
  transcript_answer: '',
  financial_aid_answer: '',
  logo_sha256: null,
  vc_jwt_algorithm: 'EdDSA',
  allow_suspension: false,
};

// Settings change rarely; a short cache keeps every page from asking the database while several app processes
// still see a change within a minute.
const CACHE_MS = 60_000;

export interface InstitutionSettings {
  publicUrl: string;
  /** The server's STACKABLE_TIME_ZONE, offered until an administrator chooses the institution's own. */
  timeZone: string;
  /** The VC-JWT algorithms the credentials module can sign with here; other choices are refused. */
  vcJwtAlgorithms?: readonly string[];
  /** Told after a saved profile changed the time zone (after the commit), so schedules can follow it. */
  afterTimeZoneChange?: () => Promise<void>;
}

/** The institution as the site's header presents it. */
export interface InstitutionBrand {
  name: string;
  shortName: string;
  /** `#rrggbb` that white text reads well on, or empty for the site's own colour. */
  brandColour: string;
  /** The current logo by its hash (so a changed logo is a new address), or null without one. */
  logoPath: string | null;
  isSetUp: boolean;
  /** The time zone moments are shown in (the server's default until one is chosen). */
  timeZone: string;
  currency: string;
}

/** A logo as served: its bytes and the type they were checked to be. */
export interface StoredLogo {
  sha256: string;
  contentType: 'image/png' | 'image/svg+xml';
  content: Uint8Array;
}

/** The institution that runs this Stackable: its names, contacts, colours, fees, answers and logo. */
export class InstitutionService {
  #cached: { value: Institution; isSetUp: boolean; at: number } | undefined;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly settings: InstitutionSettings,
    private readonly repository = new InstitutionRepository(),
  ) {}

  async get(): Promise<Institution> {
    return (await this.#read()).value;
  }

  /** The institution's name, as mails, badges and other modules' settings name it. */
  async name(): Promise<string> {
    return (await this.get()).name;
  }

  /**
   * The settings read through the caller's transaction (the placeholder before set-up), never from the cache: on
   * PGlite a read outside an open transaction waits for it, so work inside one must not miss the cache.
   */
  async getWithin(db: Db): Promise<Institution> {
    return (await this.repository.find(db)) ?? placeholder;
  }

  /** What every page's header shows: the names, the brand colour, the current logo's address and the set-up state. */
  async brand(): Promise<InstitutionBrand> {
    const { value, isSetUp } = await this.#read();
    return {
      name: value.name,
      shortName: value.short_name,
      // Saved colours were checked, but a row written before that check (or by hand) may not be: the header keeps
      // its own colour rather than draw white text nobody can read.
      brandColour: primaryColourProblem(value.primary_colour)
        ? ''
        : (normaliseHex(value.primary_colour) ?? ''),
      logoPath: value.logo_sha256 ? logoPath(value.logo_sha256) : null,
      isSetUp,
      ...this.displayOf(value),
    };
  }

  /** How moments and money are shown: the institution's time zone and currency. */
  async display(): Promise<Display> {
    return this.displayOf((await this.#read()).value);
  }

  /**
   * The display of a row already read (inside a transaction, say): its time zone, or the server's
   * STACKABLE_TIME_ZONE while none is chosen, and its currency.
   */
  displayOf(row: Pick<Institution, 'time_zone' | 'currency'> | undefined): Display {
    return {
      timeZone: row?.time_zone || this.settings.timeZone,
      currency: row?.currency || placeholder.currency,
    };
  }

  /** False until an administrator (or the demo) has saved the institution's settings. */
  async isSetUp(): Promise<boolean> {
    return (await this.#read()).isSetUp;
  }

  async #read() {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < CACHE_MS) return this.#cached;
    const row = await this.repository.find(this.database.db);
    this.#cached = { value: row ?? placeholder, isSetUp: row !== undefined, at: now };
    return this.#cached;
  }

  /**
   * The stored settings read through the caller's transaction, never from the cache: issuing and revoking call
   * in with a transaction open, and on PGlite a query outside it would wait for it forever.
   */
  findWithin(db: Db): Promise<Institution | undefined> {
    return this.repository.find(db);
  }

  /** Creates the institution's settings inside the caller's transaction (the demo university does). */
  async createWithin(trx: Tx, row: Insertable<InstitutionTable>): Promise<void> {
    await this.repository.insert(trx, row);
  }

  forget(): void {
    this.#cached = undefined;
  }

  /** The absolute address of the current logo (stable: it names the logo's hash), or null without one. */
  logoUrl(institution: Pick<Institution, 'logo_sha256'>): string | null {
    return institution.logo_sha256 ? `${this.settings.publicUrl}${logoPath(institution.logo_sha256)}` : null;
  }

  /** The profile screen's data: what the form shows, the logo, and what this person may do there. */
  async profile(actor: AuditActor | null) {
    this.#authorize(actor, 'view_profile');
    const row = await this.repository.find(this.database.db);
    const shown = row ?? { ...placeholder, name: '', short_name: '', url: '', email: '' };
    return {
      isSetUp: row !== undefined,
      values: { ...profileInputOf(shown), timeZone: shown.time_zone || this.settings.timeZone },
      logo: row?.logo_sha256 ? { path: logoPath(row.logo_sha256), url: this.logoUrl(row) } : null,
      canEdit: mayDo(actor, 'edit_profile'),
      canManageKeys: mayDo(actor, 'manage_signing_keys'),
    };
  }

  /** Saves the whole profile at once; new badges name the issuer this way from now on. Audited. */
  async updateProfile(actor: AuditActor | null, input: Partial<Record<keyof ProfileInput, unknown>>) {
    this.#authorize(actor, 'edit_profile');
    // The VC-JWT choice, the year's first month, the review rhythm and the admissions page came later than the API: a
    // caller that does not send them keeps the stored ones, so scripts written before them go on working. (An empty
    // admissions page is a choice, "none": only a field left out keeps the stored one.)
    const stored = await this.repository.find(this.database.db);
    const given = {
      ...input,
      vcJwt: input.vcJwt || (stored?.vc_jwt_algorithm ?? 'EdDSA'),
      academicYearStartMonth:
        input.academicYearStartMonth ??
        String(stored?.academic_year_start_month ?? placeholder.academic_year_start_month),
      periodicReviewYears:
        input.periodicReviewYears ||
        String(stored?.periodic_review_years ?? placeholder.periodic_review_years),
      admissionsUrl: input.admissionsUrl ?? stored?.admissions_url ?? '',
    };
    const read = readProfile(given, { vcJwtAlgorithms: this.settings.vcJwtAlgorithms ?? ['EdDSA'] });
    if (!read.ok) throw refused(read.problems, 'The profile was not saved: some fields need attention.');
    const zoneBefore = await this.database.db.transaction().execute(async (trx) => {
      const before = await this.repository.findForUpdate(trx);
      await this.repository.save(trx, read.row);
      await this.audit.record(trx, actor, {
        action: before ? 'institution.profile_changed' : 'institution.profile_created',
        entityType: 'institution',
        entityId: '1',
        before: before ? changedFrom(before, read.row) : null,
        after: before ? changedTo(before, read.row) : { ...read.row },
      });
      return before?.time_zone;
    });
    this.forget();
    if (zoneBefore !== read.row.time_zone) await this.settings.afterTimeZoneChange?.();
    return this.profile(actor);
  }

  /**
   * Checks and keeps an uploaded logo and makes it the current one. Returns what the SVG sanitizer removed, so
   * the administrator knows the stored file differs from theirs.
   */
  async replaceLogo(actor: AuditActor | null, upload: { content: Uint8Array; truncated: boolean }) {
    this.#authorize(actor, 'edit_profile');
    const checked = checkLogo(upload.content, upload.truncated);
    if (!checked.ok) throw refused([{ field: 'logo', reason: checked.problem }], 'The logo was not saved.');
    await this.database.db.transaction().execute(async (trx) => {
      const before = await this.repository.findForUpdate(trx);
      if (!before) {
        throw refused(
          [{ field: 'logo', reason: 'can be added once the profile above is saved' }],
          'The logo was not saved.',
        );
      }
      await this.repository.keepLogo(trx, {
        sha256: checked.sha256,
        content_type: checked.contentType,
        content: checked.content,
      });
      await this.repository.setLogo(trx, checked.sha256);
      await this.audit.record(trx, actor, {
        action: 'institution.logo_changed',
        entityType: 'institution',
        entityId: '1',
        before: { logo: before.logo_sha256 },
        after: { logo: checked.sha256, contentType: checked.contentType, removed: checked.removed },
      });
    });
    this.forget();
    return { removed: checked.removed };
  }

  /** New badges carry no logo from now on; badges issued with the old one still find it at its address. */
  async removeLogo(actor: AuditActor | null): Promise<void> {
    this.#authorize(actor, 'edit_profile');
    await this.database.db.transaction().execute(async (trx) => {
      const before = await this.repository.findForUpdate(trx);
      if (!before?.logo_sha256) return;
      await this.repository.setLogo(trx, null);
      await this.audit.record(trx, actor, {
        action: 'institution.logo_removed',
        entityType: 'institution',
        entityId: '1',
        before: { logo: before.logo_sha256 },
        after: { logo: null },
      });
    });
    this.forget();
  }

  /** The current logo, for anyone (it is on the public pages and inside badges). */
  async currentLogo(): Promise<StoredLogo | null> {
    const sha256 = (await this.get()).logo_sha256;
    return sha256 ? this.logo(sha256) : null;
  }

  /** A logo by its hash, current or earlier, since issued badges keep pointing at the one they were issued with. */
  async logo(sha256: string): Promise<StoredLogo | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    const row = await this.repository.findLogo(this.database.db, sha256);
    return row ? { sha256: row.sha256, contentType: row.content_type, content: row.content } : null;
  }

  #authorize(actor: AuditActor | null, action: InstitutionAction): void {
    if (!mayDo(actor, action)) throw forbidden('Only administrators manage the institution’s profile.');
  }
}

/** The stored values of the fields a save changes, for the audit entry's "before". */
function changedFrom(before: Institution, after: ProfileRow): Partial<ProfileRow> {
  const keys = (Object.keys(after) as (keyof ProfileRow)[]).filter((key) => before[key] !== after[key]);
  return Object.fromEntries(keys.map((key) => [key, before[key]]));
}

function changedTo(before: Institution, after: ProfileRow): Partial<ProfileRow> {
  const keys = (Object.keys(after) as (keyof ProfileRow)[]).filter((key) => before[key] !== after[key]);
  return Object.fromEntries(keys.map((key) => [key, after[key]]));
}
