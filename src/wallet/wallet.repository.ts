import { backpackClaims } from '../backpack/backpack.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { DeliveryRoute, WalletOfferRow } from './wallet.tables.ts';

/** SQL for wallet offers; the badge's holder is read through the backpack's published piece. */
export class WalletRepository {
  /** Who holds a badge in the backpack: the account that claimed it, or the address it waits under. */
  holdingOf(db: Db, credentialId: string) {
    return db
      .selectFrom(backpackClaims(db).as('b'))
      .select([
        'claimed_by_user_id as claimedByUserId',
        'claimed_at as claimedAt',
        'learner_email as learnerEmail',
      ])
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
  }

  async insertOffer(
    db: Db,
    row: Pick<
      WalletOfferRow,
      'id' | 'credential_id' | 'user_id' | 'code_hash' | 'exchange_hash' | 'challenge' | 'expires_at'
    > & { created_at: Date },
  ): Promise<void> {
    await db.insertInto('wallet_offers').values(row).execute();
  }

  /** An offer its learner asked for, for the page that follows it. */
  offerOf(db: Db, offerId: string, userId: string, credentialId: string) {
    return db
      .selectFrom('wallet_offers')
      .selectAll()
      .where('id', '=', offerId)
      .where('user_id', '=', userId)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
  }

  /** The offer a secret names, locked for the rest of the transaction so two wallets cannot both use it. */
  lockOfferBy(db: Db, column: 'code_hash' | 'exchange_hash' | 'access_token_hash', hash: string) {
    return db.selectFrom('wallet_offers').selectAll().where(column, '=', hash).forUpdate().executeTakeFirst();
  }

  /** The offer a secret names, read without a lock (the checks made before the delivering transaction). */
  offerBy(db: Db, column: 'code_hash' | 'exchange_hash' | 'access_token_hash', hash: string) {
    return db.selectFrom('wallet_offers').selectAll().where(column, '=', hash).executeTakeFirst();
  }

  async spendCode(db: Db, id: string, token: { hash: string; expiresAt: Date; at: Date }): Promise<void> {
    await db
      .updateTable('wallet_offers')
      .set({ code_used_at: token.at, access_token_hash: token.hash, token_expires_at: token.expiresAt })
      .where('id', '=', id)
      .execute();
  }

  async markDelivered(
    db: Db,
    id: string,
    delivery: { at: Date; by: DeliveryRoute; holderDid: string; credentialId: string },
  ): Promise<void> {
    await db
      .updateTable('wallet_offers')
      .set({
        delivered_at: delivery.at,
        delivered_by: delivery.by,
        holder_did: delivery.holderDid,
        delivered_credential_id: delivery.credentialId,
      })
      .where('id', '=', id)
      .execute();
  }

  /** The wallets a badge was delivered to, newest first. */
  deliveriesOf(db: Db, credentialId: string) {
    return db
      .selectFrom('wallet_offers')
      .select(['holder_did', 'delivered_at', 'delivered_by', 'delivered_credential_id'])
      .where('credential_id', '=', credentialId)
      .where('delivered_at', 'is not', null)
      .orderBy('delivered_at', 'desc')
      .limit(20)
      .execute();
  }
}
