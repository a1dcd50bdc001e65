import { type Kysely, sql } from 'kysely';

/**
 * A credit-bearing badge revoked after its transcript notation went to the student system is withdrawn there
 * too: the next registrar export carries a withdrawal line for it, once. Each export counts its withdrawals.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table issued_awards add column registrar_withdrawal_id uuid references registrar_exports (id);
    -- Only a notation that was sent, for a badge since revoked, is withdrawn.
    alter table issued_awards add check (
      registrar_withdrawal_id is null or (registrar_export_id is not null and revoked_at is not null)
    );
    alter table registrar_exports
      add column withdrawal_count integer not null default 0 check (withdrawal_count >= 0);
  `.execute(db);
}
