/**
 * Whether a mail server's answer means "never": a 5xx reply to the message (unknown mailbox, message refused,
 * relay denied) will be the same on every attempt, so the message goes straight to the dead letters, with the
 * reply as the reason, instead of being retried for a day. Anything else is worth retrying: a 4xx reply (greylist,
 * full queue, try later), a refused or dropped connection, a timeout. Refused credentials (EAUTH, a 535) are a
 * 5xx too, but they say nothing about the message: every message fails alike until the operator fixes SMTP_URL,
 * so they are retried, and nothing is lost while the setting is wrong. Pure: it reads nodemailer's error fields.
 */
export function isPermanentRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  if (code === 'EAUTH') return false;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode <= 599;
}
