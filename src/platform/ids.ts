import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A new random identifier (UUID v4), used for every row the app creates. */
export const newId = (): string => randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a UUID (either case), checked before it reaches a uuid column, where it would be an SQL error. */
export const isUuid = (text: string): boolean => UUID.test(text);

/** An unguessable token for links sent by e-mail; only its hash is stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** The stored form of a token: a SHA-256 hex digest, so a database leak does not leak usable links. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
