import { readFileSync } from 'node:fs';

/** Context URLs that appear in every badge Stackable issues. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
export const DATA_INTEGRITY_V1_CONTEXT = 'https://w3id.org/security/data-integrity/v1';

/** URL each offline copy in /standards/contexts stands for (see standards/README.md). */
const FILES: Record<string, string> = {
  [VC_V2_CONTEXT]: 'credentials-v2.jsonld',
  [OB_V3_CONTEXT]: 'ob-v3p0-3.0.3.json',
  [OB_EXTENSIONS_CONTEXT]: 'ob-v3p0-extensions.json',
  [DATA_INTEGRITY_V1_CONTEXT]: 'data-integrity-v1.jsonld',
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json': 'clr-v2p0-2.0.1.json',
};

const STANDARDS_DIR = new URL('../../standards/', import.meta.url);

let loaded: Map<string, unknown> | undefined;

/**
 * The repository's own copies of the JSON-LD contexts, read from disk once on first use. These win over
 * any copy bundled in an npm package, so the contexts we sign with are the ones we ship and review.
 */
export function localContexts(): ReadonlyMap<string, unknown> {
  if (!loaded) {
    loaded = new Map(
      Object.entries(FILES).map(([url, file]) => [
        url,
        JSON.parse(readFileSync(new URL(`contexts/${file}`, STANDARDS_DIR), 'utf8')) as unknown,
      ]),
    );
  }
  return loaded;
}

const readSchema = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`schemas/${name}`, STANDARDS_DIR), 'utf8')) as Record<string, unknown>;

/** The OB 3.0 AchievementCredential JSON Schema (draft 2019-09), read once from /standards/schemas. */
export function readAchievementCredentialSchema(): Record<string, unknown> {
  return readSchema('ob_v3p0_achievementcredential_schema.jsonld-2019-09.json');
}

/** The OB 3.0 EndorsementCredential JSON Schema (draft 2019-09), as published, from /standards/schemas. */
export function readEndorsementCredentialSchema(): Record<string, unknown> {
  return readSchema('ob_v3p0_endorsementcredential_schema.json');
}

/**
 * The CLR 2.0 ClrCredential JSON Schema (draft 2019-09), as 1EdTech publishes it: the JSON-LD form, which takes a
 * single value wherever a list is allowed, as the other CLR and OB 3.0 JSON-LD forms do.
 */
export function readClrCredentialSchema(): Record<string, unknown> {
  return readSchema('clr_v2p0_clrcredential_schema.json');
}
