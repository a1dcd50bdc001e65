/**
 * Reads a PDF the way a person's tools do, with pdf.js (Mozilla's reader): the text a screen reader or a copy
 * gets, the document's title and language, its structure tree, and each page drawn to pixels (to decode a QR
 * code with jsQR as a phone would read it from paper).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jsQRModule from 'jsqr';

const require = createRequire(import.meta.url);
// jsQR is CommonJS with an `export default` in its types; under Node's ESM loader the function is the module.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const standardFontDataUrl = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

export interface StructNode {
  role?: string;
  alt?: string;
  children?: StructNode[];
  type?: string;
}

export async function readPdf(bytes: Uint8Array) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  const info = (await doc.getMetadata()).info as unknown as Record<string, unknown>;
  const pages = await Promise.all(Array.from({ length: doc.numPages }, (_, i) => doc.getPage(i + 1)));
  return {
    pageCount: doc.numPages,
    title: info.Title as string | undefined,
    language: info.Language as string | undefined,
    /** Every piece of text in reading order, trimmed, the empty ones left out. */
    async texts(): Promise<string[]> {
      return (await this.pageTexts()).flat();
    },
    /** The same, page by page: what each printed page says, from its top. */
    async pageTexts(): Promise<string[][]> {
      const out: string[][] = [];
      for (const page of pages) {
        const content = await page.getTextContent();
        out.push(
          content.items.map((item) => ('str' in item ? item.str.trim() : '')).filter((text) => text !== ''),
        );
      }
      return out;
    },
    /** The structure tree of every page, merged under one root. */
    async structure(): Promise<StructNode> {
      const children: StructNode[] = [];
      for (const page of pages) {
        const tree = (await page.getStructTree()) as StructNode | null;
        if (tree?.children) children.push(...tree.children);
      }
      return { role: 'Root', children };
    },
    /** The QR codes jsQR finds on each page drawn at `scale` (2 ≈ 144 dpi). */
    async qrCodes(scale = 2): Promise<string[]> {
      const found: string[] = [];
      for (const page of pages) {
        const viewport = page.getViewport({ scale });
        const factory = doc.canvasFactory as {
          create(w: number, h: number): { canvas: unknown; context: CanvasRenderingContext2D };
        };
        const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
        await page.render({ canvas: canvas as HTMLCanvasElement, canvasContext: context, viewport }).promise;
        const image = context.getImageData(0, 0, Math.ceil(viewport.width), Math.ceil(viewport.height));
        const code = jsQR(image.data, image.width, image.height);
        if (code) found.push(code.data);
      }
      return found;
    },
    close: () => doc.destroy(),
  };
}

/** Every node of a structure tree with this role. */
export function nodesWithRole(node: StructNode, role: string): StructNode[] {
  const own = node.role === role ? [node] : [];
  return [...own, ...(node.children ?? []).flatMap((child) => nodesWithRole(child, role))];
}

/**
 * The rows of the table captioned `caption`, read back from the text: the header's cells come first, then
 * `columns` pieces of text per row up to the next caption or heading. A table that runs onto another page repeats
 * its header row there; the repeat is skipped, as a reader skips it.
 */
export function tableAfter(
  texts: readonly string[],
  caption: string,
  headers: readonly string[],
  rows: number,
) {
  const at = texts.indexOf(caption);
  if (at < 0) throw new Error(`the PDF has no "${caption}"`);
  let next = at + 1 + headers.length;
  const cells = texts.slice(at + 1, next);
  if (cells.join('|') !== headers.join('|')) {
    throw new Error(`"${caption}" has headers ${cells.join('|')}, not ${headers.join('|')}`);
  }
  const out: string[][] = [];
  while (out.length < rows && next < texts.length) {
    const row = texts.slice(next, next + headers.length);
    next += headers.length;
    if (row.join('|') !== headers.join('|')) out.push(row);
  }
  return out;
}
