import type { Db } from '../platform/db/database.ts';

/** SQL for learners' public profiles and the collections on them. */
export class ProfileRepository {
  findByUser(db: Db, userId: string) {
    return db.selectFrom('learner_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  findByHandle(db: Db, handle: string) {
    return db.selectFrom('learner_profiles').selectAll().where('handle', '=', handle).executeTakeFirst();
  }

  async save(db: Db, userId: string, profile: { handle: string; bio: string }, at: Date): Promise<void> {
    await db
      .insertInto('learner_profiles')
      .values({ user_id: userId, handle: profile.handle, bio: profile.bio, updated_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...profile, updated_at: at }))
      .execute();
  }

  async setPublished(db: Db, userId: string, isPublished: boolean, at: Date): Promise<void> {
    await db
      .updateTable('learner_profiles')
      .set({ is_published: isPublished, updated_at: at })
      .where('user_id', '=', userId)
      .execute();
  }

  /** The badges a learner has accepted into their own account, newest first: all a profile may show. */
  acceptedItemsOf(db: Db, userId: string) {
    return db
      .selectFrom('backpack_items')
      .selectAll()
      .where('claimed_by_user_id', '=', userId)
      .where('acceptance', '=', 'accepted')
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  collectionsOf(db: Db, userId: string) {
    return db
      .selectFrom('profile_collections')
      .select(['id', 'name', 'position'])
      .where('user_id', '=', userId)
      .orderBy('position')
      .execute();
  }

  /** Every badge placed in the learner's collections, in each collection's order. */
  collectionBadgesOf(db: Db, userId: string) {
    return db
      .selectFrom('profile_collection_badges as cb')
      .innerJoin('profile_collections as c', 'c.id', 'cb.collection_id')
      .select(['cb.collection_id', 'cb.credential_id'])
      .where('c.user_id', '=', userId)
      .orderBy('cb.position')
      .execute();
  }

  findCollection(db: Db, userId: string, id: string) {
    return db
      .selectFrom('profile_collections')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  async insertCollection(db: Db, row: { id: string; userId: string; name: string }): Promise<void> {
    const last = await db
      .selectFrom('profile_collections')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('user_id', '=', row.userId)
      .executeTakeFirst();
    await db
      .insertInto('profile_collections')
      .values({ id: row.id, user_id: row.userId, name: row.name, position: Number(last?.position ?? 0) + 1 })
      .execute();
  }

  async renameCollection(db: Db, id: string, name: string): Promise<void> {
    await db.updateTable('profile_collections').set({ name }).where('id', '=', id).execute();
  }

  async setPosition(db: Db, id: string, position: number): Promise<void> {
    await db.updateTable('profile_collections').set({ position }).where('id', '=', id).execute();
  }

  /** Replaces a collection's badges with these, in this order. */
  async replaceCollectionBadges(db: Db, id: string, credentialIds: readonly string[]): Promise<void> {
    await db.deleteFrom('profile_collection_badges').where('collection_id', '=', id).execute();
    if (credentialIds.length === 0) return;
    await db
      .insertInto('profile_collection_badges')
      .values(
        credentialIds.map((credentialId, i) => ({
          collection_id: id,
          credential_id: credentialId,
          position: i + 1,
        })),
      )
      .execute();
  }

  async deleteCollection(db: Db, id: string): Promise<void> {
    await db.deleteFrom('profile_collections').where('id', '=', id).execute();
  }
}
