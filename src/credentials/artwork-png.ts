/**
 * Turns badge SVG into PNG with resvg's WebAssembly build. The wasm renderer cannot see system fonts,
 * so the DejaVu faces bundled in ./fonts are handed to it; every machine then draws the same glyphs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { BADGE_FONT_FAMILY } from './artwork.ts';

const FONT_FILES = ['DejaVuSans-Bold.ttf', 'DejaVuSansCondensed-Bold.ttf'] as const;

interface RendererAssets {
  fonts: Uint8Array[];
}

let assetsPromise: Promise<RendererAssets> | undefined;

/** Starts the wasm module and reads the fonts once per process; later calls share the same promise. */
function loadRenderer(): Promise<RendererAssets> {
  assetsPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
    const fonts = await Promise.all(
      FONT_FILES.map(
        async (name) => new Uint8Array(await readFile(new URL(`./fonts/${name}`, import.meta.url))),
      ),
    );
    await initWasm(wasm).catch((error: unknown) => {
      // Another module in the process may have started the same wasm first; that is fine.
      if (!(error instanceof Error && error.message.startsWith('Already initialized'))) throw error;
    });
    return { fonts };
  })();
  // A failed start should not poison every later render, so forget the promise and let callers retry.
  assetsPromise.catch(() => {
    assetsPromise = undefined;
  });
  return assetsPromise;
}

/**
 * Renders SVG (normally from `renderBadgeSvg`) to PNG bytes `widthPx` pixels wide; the height follows
 * the SVG's aspect ratio, so a badge comes out square.
 */
export async function renderBadgePng(svg: string, widthPx = 600): Promise<Uint8Array> {
  if (!Number.isInteger(widthPx) || widthPx < 16 || widthPx > 4096) {
    throw new RangeError(`Badge PNG width must be a whole number of pixels from 16 to 4096, got ${widthPx}`);
  }
  const { fonts } = await loadRenderer();
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'width', value: widthPx },
    font: {
      fontBuffers: fonts,
      defaultFontFamily: BADGE_FONT_FAMILY,
      sansSerifFamily: BADGE_FONT_FAMILY,
    },
    textRendering: 1,
    shapeRendering: 2,
  });
  try {
    const image = renderer.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}
