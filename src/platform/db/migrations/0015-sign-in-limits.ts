import { type Kysely, sql } from 'kysely';

/**
 * Two defences from the security audit (issue 12).
 * - The outbox keeps, beside each message's real subject and body (sent to the recipient only), a copy with
 *   its one-time links blanked out: that copy is all staff ever see. Mail already queued gets its copy by
 *   blanking every `token=` value, the only way such links were written before.
 * - Failed sign-ins are counted per account (the hash of the normalised e-mail, so unknown addresses are counted
 *   the same way and no address is kept in clear), in the database so every app process sees the same count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mail_outbox add column display_subject text, add column display_text text;
    update mail_outbox set
      display_subject = regexp_replace(subject, '([?&]token=)[^[:space:]&"<>]+', '\\1[hidden]', 'g'),
      display_text = regexp_replace(text_body, '([?&]token=)[^[:space:]&"<>]+', '\\1[hidden]', 'g');
    alter table mail_outbox
      alter column display_subject set not null,
      alter column display_text set not null;

    create table sign_in_failures (
      account_key text primary key check (length(account_key) = 64),
      failures integer not null check (failures > 0),
      last_failed_at timestamptz not null,
      locked_until timestamptz
    );
  `.execute(db);
}
