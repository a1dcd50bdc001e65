import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { ApprovalChain } from './approval-chain.ts';
import type { ProgramState } from './program-vocabulary.ts';

/** SQL for the institution's approval chains and the copies proposals keep of the chain they started. */
export class ApprovalChainsRepository {
  listChains(db: Db) {
    return db
      .selectFrom('approval_chains')
      .select(['key', 'name', 'steps', 'updated_at'])
      .orderBy('key')
      .execute();
  }

  findChains(db: Db, keys: readonly string[]) {
    return db
      .selectFrom('approval_chains')
      .select(['key', 'name', 'steps', 'updated_at'])
      .where('key', 'in', keys)
      .execute();
  }

  findChain(db: Db, key: string) {
    return db
      .selectFrom('approval_chains')
      .select(['key', 'name', 'steps', 'updated_at'])
      .where('key', '=', key)
      .executeTakeFirst();
  }

  /** Locks the chain row for the rest of the transaction, so two administrators' edits cannot interleave. */
  lockChain(db: Db, key: string) {
    return db
      .selectFrom('approval_chains')
      .select(['key', 'name', 'steps', 'updated_at'])
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirst();
  }

  async saveChain(db: Db, chain: ApprovalChain): Promise<void> {
    const values = { name: chain.name, steps: JSON.stringify(chain.steps) };
    await db
      .insertInto('approval_chains')
      .values({ key: chain.key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
  }

  async insertChainIfMissing(db: Db, chain: ApprovalChain): Promise<void> {
    await db
      .insertInto('approval_chains')
      .values({ key: chain.key, name: chain.name, steps: JSON.stringify(chain.steps) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  // ---- the copies proposals keep ----------------------------------------------------------------------------

  listProgramChains(db: Db, programIds: readonly string[]) {
    if (programIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('program_approval_chains')
      .select(['program_id', 'chain_key', 'name', 'steps', 'started_at'])
      .where('program_id', 'in', [...programIds])
      .execute();
  }

  /**
   * Keeps `chain` as the one a program's review runs under. With `replace` false an earlier copy stays (the
   * review goes on); with true it is replaced (a new round of review).
   */
  async keepProgramChain(
    db: Db,
    programId: string,
    chain: ApprovalChain,
    { replace, at }: { replace: boolean; at: Date },
  ): Promise<void> {
    const values = { name: chain.name, steps: JSON.stringify(chain.steps), started_at: at };
    await db
      .insertInto('program_approval_chains')
      .values({ program_id: programId, chain_key: chain.key, ...values })
      .onConflict((oc) =>
        replace
          ? oc.columns(['program_id', 'chain_key']).doUpdateSet(values)
          : oc.columns(['program_id', 'chain_key']).doNothing(),
      )
      .execute();
  }

  /** How many programs in `statuses` are reviewed under their own copy of the chain `key`. */
  async countKeptCopies(db: Db, key: string, statuses: readonly ProgramState[]): Promise<number> {
    const row = await db
      .selectFrom('program_approval_chains as c')
      .innerJoin('programs as p', 'p.id', 'c.program_id')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('c.chain_key', '=', key)
      .where('p.status', 'in', [...statuses])
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** How many changes to approved programs are under review, each on its own copy of the modification chain. */
  async countChangesInReview(db: Db): Promise<number> {
    const row = await db
      .selectFrom('program_modifications')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'in_review')
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** An active account by e-mail address, to name as a step's decider. */
  findActivePerson(db: Db, email: string) {
    return db
      .selectFrom(userNames(db).as('u'))
      .select(['u.id', 'u.name', 'u.email'])
      .where(sql`lower(u.email)`, '=', email.toLowerCase())
      .where('u.status', '=', 'active')
      .executeTakeFirst();
  }
}
