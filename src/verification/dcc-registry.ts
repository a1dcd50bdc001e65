/**
 * Reads an issuer registry in the Digital Credentials Consortium's JSON format: an object whose `registry`
 * member maps each issuer's DID to what the registry says about it (`name`, and optionally `url` and
 * `location`). Pure: the caller fetches the text.
 */

export interface RegistryEntry {
  did: string;
  name: string;
  url: string | null;
  location: string | null;
}

export type RegistryReading = { ok: true; entries: RegistryEntry[] } | { ok: false; problem: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null;

/** Bounds a registry so one huge or hostile file cannot fill the database. */
export const MAX_REGISTRY_ENTRIES = 5000;
const DID = /^did:[a-z0-9]+:\S+$/;

/** The entries of a registry file, or the reason it is not one. Entries without a DID key or a name are skipped. */
export function readDccRegistry(body: string): RegistryReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'The registry is not JSON.' };
  }
  if (!isObject(parsed) || !isObject(parsed.registry)) {
    return { ok: false, problem: 'The registry has no "registry" object of issuers keyed by DID.' };
  }
  const entries: RegistryEntry[] = [];
  for (const [did, value] of Object.entries(parsed.registry)) {
    if (!DID.test(did) || did.length > 2000 || !isObject(value)) continue;
    const name = text(value.name, 200);
    if (!name) continue;
    const url = text(value.url, 2000);
    entries.push({
      did,
      name,
      url: url && /^https?:\/\//.test(url) ? url : null,
      location: text(value.location, 200),
    });
  }
  if (entries.length > MAX_REGISTRY_ENTRIES) {
    return { ok: false, problem: `The registry lists more than ${MAX_REGISTRY_ENTRIES} issuers.` };
  }
  return { ok: true, entries };
}
