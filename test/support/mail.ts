/**
 * Reads the messages a real SMTP server received, as far as the journeys need: the headers, and the plain-text
 * and HTML bodies of a (possibly multipart) message, decoded. Not a general MIME parser: no attachments, no
 * nesting beyond multipart/alternative or multipart/mixed holding text parts.
 */

export interface ReadMessage {
  /** Header names in lower case; folded lines unfolded, encoded words decoded. */
  headers: Map<string, string>;
  subject: string;
  to: string;
  /** The body of each text part, by its media type (text/plain, text/html). */
  parts: Map<string, string>;
}

interface Entity {
  headers: Map<string, string>;
  body: string;
}

function splitEntity(raw: string): Entity {
  const normalised = raw.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const body = end === -1 ? '' : normalised.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeQuotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  const joined = text.replace(/=\n/g, '');
  for (let at = 0; at < joined.length; at += 1) {
    const hex = joined.slice(at + 1, at + 3);
    if (joined[at] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      at += 2;
    } else bytes.push(...Buffer.from(joined[at]!, 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeBody(entity: Entity): string {
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintableBytes(entity.body).toString('utf8');
  return entity.body;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), as nodemailer writes non-ASCII headers. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_whole, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintableBytes(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

const mediaType = (entity: Entity) =>
  (entity.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();

function collectParts(entity: Entity, parts: Map<string, string>): void {
  const type = mediaType(entity);
  if (!type.startsWith('multipart/')) {
    if (type.startsWith('text/')) parts.set(type, decodeBody(entity));
    return;
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(entity.headers.get('content-type') ?? '')?.[1];
  if (!boundary) return;
  const pieces = entity.body.split(`--${boundary}`);
  // Between the first and the closing delimiter; the closing one starts with "--".
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    collectParts(splitEntity(piece.replace(/^\n/, '')), parts);
  }
}

/** Reads one raw message (as the SMTP server received it). */
export function readMessage(raw: string): ReadMessage {
  const entity = splitEntity(raw);
  const headers = new Map([...entity.headers].map(([name, value]) => [name, decodeHeader(value)]));
  const parts = new Map<string, string>();
  collectParts(entity, parts);
  return { headers, subject: headers.get('subject') ?? '', to: headers.get('to') ?? '', parts };
}

/** A message as the SMTP server received it: the envelope's recipients and the raw text. */
export interface ReceivedMessage {
  to: string[];
  raw: string;
}

/**
 * Waits for the first message addressed to `address` to arrive (mail goes out from a background job, so it
 * comes some moments after the action that sent it).
 */
export async function waitForMessage(
  received: readonly ReceivedMessage[],
  address: string,
  timeoutMs = 60_000,
): Promise<ReceivedMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = received.find((message) => message.to.includes(address));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = received.flatMap((message) => message.to).join(', ') || 'none';
      throw new Error(`no message to ${address} within ${timeoutMs / 1000} s (received for: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
