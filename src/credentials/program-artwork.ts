import { createHash } from 'node:crypto';
import { BoundedMap } from '../platform/bounded-map.ts';
import type { Institution } from '../platform/db/schema.ts';
import { type BadgeArtworkInput, renderBadgeSvg } from './artwork.ts';
import { renderBadgePng } from './artwork-png.ts';

/** What a program contributes to its artwork. */
export interface ArtworkProgram {
  slug: string;
  title: string;
  level: 'undergraduate' | 'graduate';
  status: string;
  credits_max: number;
  credit_type: 'credit' | 'non_credit' | 'hybrid';
  updated_at: Date;
}

export interface Artwork {
  svg: string;
  png: () => Promise<Uint8Array>;
  etag: string;
}

// Rendering a PNG takes tens of milliseconds; keep the most recent programs' images.
const CACHE_LIMIT = 64;

function artworkInput(program: ArtworkProgram, institution: Institution): BadgeArtworkInput {
  const credits =
    program.credit_type === 'non_credit' || program.credits_max === 0
      ? 'Non-credit'
      : `${program.credits_max} credits`;
  return {
    title: program.title,
    level: program.level,
    institutionShortName: institution.short_name,
    institutionName: institution.name,
    colours: { primary: institution.primary_colour, accent: institution.accent_colour },
    credits,
    status: program.status === 'pilot' ? 'pilot' : program.status === 'retired' ? 'retired' : 'active',
  };
}

/**
 * Each program's badge artwork in the institution's colours, as SVG and PNG. Both are cached by
 * everything they are drawn from, so a renamed program or new colours give a new image at once.
 */
export class ProgramArtwork {
  readonly #cache = new BoundedMap<string, Artwork>(CACHE_LIMIT);

  for(program: ArtworkProgram, institution: Institution): Artwork {
    const input = artworkInput(program, institution);
    const cacheKey = JSON.stringify(input);
    const hit = this.#cache.get(cacheKey);
    if (hit) return hit;
    const svg = renderBadgeSvg(input);
    let png: Promise<Uint8Array> | undefined;
    const artwork: Artwork = {
      svg,
      png: () => {
        png ??= renderBadgePng(svg);
        png.catch(() => {
          png = undefined;
        });
        return png;
      },
      etag: `"${createHash('sha256').update(svg).digest('base64url').slice(0, 20)}"`,
    };
    this.#cache.set(cacheKey, artwork);
    return artwork;
  }
}
