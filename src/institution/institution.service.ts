import type { Insertable } from 'kysely';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import type { Institution, InstitutionTable } from '../platform/db/schema.ts';
import { InstitutionRepository } from './institution.repository.ts';

/** Shown before the institution is set up (a database with no demo and no settings yet). */
const placeholder: Institution = {
  id: 1,
  name: 'Stackable',
  short_name: 'SU',
  url: 'https://example.edu',
  email: 'credentials@example.edu',
  phone: '',
  address: '',
  description: '',
  primary_colour: '#0b4f6c',
  accent_colour: '#b3541e',
  academic_year_start_month: 9,
  default_fee_cents: 1000,
};

// Settings change rarely; a short cache keeps every page from asking the database while several app processes
// still see a change within a minute.
const CACHE_MS = 60_000;

/** The institution that runs this Stackable: its names, contacts and colours. */
export class InstitutionService {
  #cached: { value: Institution; at: number } | undefined;

  constructor(
    private readonly database: Database,
    private readonly repository = new InstitutionRepository(),
  ) {}

  async get(): Promise<Institution> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < CACHE_MS) return this.#cached.value;
    const value = (await this.repository.find(this.database.db)) ?? placeholder;
    this.#cached = { value, at: now };
    return value;
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
}
