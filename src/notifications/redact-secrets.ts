import { blankSecretParameters } from '../platform/secret-parameters.ts';

/** What stands in a staff copy of a message where a one-time link was. */
export const HIDDEN_LINK = '[one-time link, sent to the recipient only]';

/**
 * The copy of a message's text that people other than its recipient may read. `secrets` are the one-time links
 * (or bare tokens) the mail template marked when it built the message; each is replaced wherever it appears, and
 * so is every value it carries in its query string (a token is secret on its own, with or without its link).
 * Token-named query parameters are blanked as a second line of defence for a link nobody marked.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    pieces.add(secret);
    for (const value of queryValues(secret)) if (value.length >= 8) pieces.add(value);
  }
  // Longest first, so a whole link is replaced before the token inside it would be.
  let redacted = text;
  for (const piece of [...pieces].sort((a, b) => b.length - a.length)) {
    redacted = redacted.split(piece).join(HIDDEN_LINK);
  }
  return blankSecretParameters(redacted, HIDDEN_LINK);
}

function queryValues(link: string): string[] {
  const at = link.indexOf('?');
  if (at < 0) return [];
  return [...new URLSearchParams(link.slice(at + 1)).values()];
}
