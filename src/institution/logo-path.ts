/**
 * Where a logo is served: by the hash of its bytes, so the address never shows another image, caches may keep it
 * for ever, and a badge that names it keeps finding it after the logo changes.
 */
export const logoPath = (sha256: string): string => `/institution/logo/${sha256}`;
