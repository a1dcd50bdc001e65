/**
 * Accessible PDF documents: tagged (a structure tree of headings, paragraphs, tables and figures that screen
 * readers follow), with the document's language and a title shown in the window instead of the file name, and
 * the DejaVu Sans fonts embedded (subset) so learners' names in any Latin, Greek or Cyrillic script print as typed.
 * Built on pdfkit; SVG (charts, logos, QR codes) is drawn as vectors with svg-to-pdfkit.
 *
 * Everything drawn goes through this writer, which puts it in the structure tree or marks it as an artifact
 * (decoration that assistive technology skips), so no content is left untagged.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** The fonts, read once: a few hundred kilobytes each, of which each document embeds only the glyphs it uses. */
function dejaVu() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

export interface PdfMeta {
  /** Shown as the window's title and read first. */
  title: string;
  /** BCP 47, as the pages' `lang`. */
  language: string;
  author?: string;
  subject?: string;
  size?: 'LETTER' | 'A4';
  layout?: 'portrait' | 'landscape';
  margin?: number;
}

export interface PdfTable {
  caption: string;
  headers: readonly string[];
  /** Each row's first cell heads its row (a program, a month). */
  rows: readonly (readonly string[])[];
  /** Which columns hold numbers, set right-aligned. */
  numeric?: readonly boolean[];
  /** Each column's share of the table's width; equal shares when left out. */
  widths?: readonly number[];
  /** The table's share of the text width (a two-column table reads better narrow); all of it by default. */
  span?: number;
}

type Align = 'left' | 'center' | 'right';

/** One accessible PDF being written, top to bottom. */
export class TaggedPdf {
  readonly doc: PDFKit.PDFDocument;
  readonly #root: PDFKit.PDFStructureElement;
  readonly #done: Promise<Buffer>;
  readonly #margin: number;

  constructor(meta: PdfMeta) {
    this.#margin = meta.margin ?? 54;
    this.doc = new PDFDocument({
      size: meta.size ?? 'LETTER',
      layout: meta.layout ?? 'portrait',
      margin: this.#margin,
      pdfVersion: '1.7',
      tagged: true,
      lang: meta.language,
      displayTitle: true,
      info: {
        Title: meta.title,
        ...(meta.author ? { Author: meta.author } : {}),
        ...(meta.subject ? { Subject: meta.subject } : {}),
        Creator: 'Stackable',
      },
    });
    const chunks: Buffer[] = [];
    this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    this.#done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    const { regular, bold } = dejaVu();
    this.doc.registerFont('Body', regular);
    this.doc.registerFont('Bold', bold);
    this.doc.font('Body');
    this.#root = this.doc.struct('Document');
    this.doc.addStructure(this.#root);
  }

  get width() {
    return this.doc.page.width - 2 * this.#margin;
  }

  get left() {
    return this.#margin;
  }

  get bottom() {
    return this.doc.page.height - this.#margin;
  }

  /** Starts a new page when less than `height` points are left on this one. */
  keepTogether(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(level: 1 | 2 | 3, text: string, options: { align?: Align; size?: number } = {}) {
    const size = options.size ?? ({ 1: 20, 2: 15, 3: 12 } as const)[level];
    this.keepTogether(size * 3);
    this.#root.add(
      this.doc.struct(`H${level}`, {}, () => {
        this.doc
          .font('Bold')
          .fontSize(size)
          .fillColor('#111111')
          .text(text, this.left, this.doc.y, { width: this.width, align: options.align ?? 'left' });
      }),
    );
    this.doc.moveDown(0.4);
  }

  paragraph(text: string, options: { align?: Align; size?: number; bold?: boolean; colour?: string } = {}) {
    this.#root.add(
      this.doc.struct('P', {}, () => {
        this.doc
          .font(options.bold ? 'Bold' : 'Body')
          .fontSize(options.size ?? 10.5)
          .fillColor(options.colour ?? '#222222')
          .text(text, this.left, this.doc.y, { width: this.width, align: options.align ?? 'left' });
      }),
    );
    this.doc.moveDown(0.5);
  }

  /** Short paragraphs in a column of their own (beside a figure), from the current height down. */
  linesAt(lines: readonly string[], box: { x: number; width: number; size?: number }) {
    for (const line of lines) {
      this.#root.add(
        this.doc.struct('P', {}, () => {
          this.doc
            .font('Body')
            .fontSize(box.size ?? 10)
            .fillColor('#222222')
            .text(line, box.x, this.doc.y, { width: box.width });
        }),
      );
      this.doc.moveDown(0.3);
    }
  }

  /** A list, each item a `LI` with its text in an `LBody`. */
  list(items: readonly string[], options: { size?: number } = {}) {
    const list = this.doc.struct('L');
    this.#root.add(list);
    for (const item of items) {
      const li = this.doc.struct('LI');
      list.add(li);
      li.add(
        this.doc.struct('LBody', {}, () => {
          this.doc
            .font('Body')
            .fontSize(options.size ?? 10.5)
            .fillColor('#222222')
            .text(`• ${item}`, this.left + 12, this.doc.y, { width: this.width - 12 });
        }),
      );
    }
    list.end();
    this.doc.moveDown(0.5);
  }

  /** A table with its caption, header row and row headers; rows that do not fit start a new page. */
  table(table: PdfTable) {
    const columns = table.headers.length;
    const shares = table.widths ?? table.headers.map(() => 1);
    const total = shares.reduce((a, b) => a + b, 0);
    const tableWidth = this.width * (table.span ?? 1);
    const widths = shares.map((share) => (share / total) * tableWidth);
    const pad = 4;
    const size = 9.5;
    const element = this.doc.struct('Table');
    this.#root.add(element);
    this.keepTogether(60);
    element.add(
      this.doc.struct('Caption', {}, () => {
        this.doc.font('Bold').fontSize(10.5).fillColor('#111111').text(table.caption, this.left, this.doc.y, {
          width: this.width,
        });
      }),
    );
    this.doc.moveDown(0.2);
    const heightOf = (cells: readonly string[], isHeader: boolean) => {
      this.doc.font(isHeader ? 'Bold' : 'Body').fontSize(size);
      return (
        Math.max(...cells.map((cell, i) => this.doc.heightOfString(cell, { width: widths[i]! - 2 * pad }))) +
        2 * pad
      );
    };
    /** One row's cells at the current height; `tag` wraps each cell (a TH or TD, or nothing for a repeat). */
    const drawCells = (
      cells: readonly string[],
      isHeader: boolean,
      height: number,
      tag: (i: number, draw: () => void) => void,
      isRepeat = false,
    ) => {
      const top = this.doc.y;
      let x = this.left;
      for (let i = 0; i < columns; i += 1) {
        const cellX = x;
        const heads = isHeader || i === 0;
        const align: Align = table.numeric?.[i] ? 'right' : 'left';
        tag(i, () => {
          this.doc
            .font(heads ? 'Bold' : 'Body')
            .fontSize(size)
            .fillColor('#111111')
            .text(cells[i] ?? '', cellX + pad, top + pad, { width: widths[i]! - 2 * pad, align });
        });
        x += widths[i]!;
      }
      const rule = () =>
        this.doc
          .moveTo(this.left, top + height)
          .lineTo(this.left + tableWidth, top + height)
          .lineWidth(isHeader ? 1 : 0.4)
          .strokeColor(isHeader ? '#333333' : '#999999')
          .stroke();
      // A repeated header is an artifact already; its rule goes inside it rather than in a nested one.
      if (isRepeat) rule();
      else this.artifact(rule);
      this.doc.x = this.left;
      this.doc.y = top + height;
    };
    const headerHeight = heightOf(table.headers, true);
    const row = (cells: readonly string[], isHeader: boolean) => {
      const height = heightOf(cells, isHeader);
      if (!isHeader && this.doc.y + height > this.bottom) {
        // A table that runs onto a new page repeats its header row there, so each page reads on its own. The
        // repeat is drawn as an artifact: the structure keeps one header row, and a screen reader reads it once.
        this.doc.addPage();
        this.artifact(() => drawCells(table.headers, true, headerHeight, (_i, draw) => draw(), true));
      }
      this.keepTogether(height);
      const tr = this.doc.struct('TR');
      element.add(tr);
      drawCells(cells, isHeader, height, (i, draw) => {
        const heads = isHeader || i === 0;
        // pdfkit writes the scope as the Table attribute PDF/UA asks of header cells; its types leave it out.
        const scope = heads ? { scope: isHeader ? 'Column' : 'Row' } : {};
        tr.add(
          this.doc.struct(heads ? 'TH' : 'TD', scope as Parameters<PDFKit.PDFDocument['struct']>[1], draw),
        );
      });
      tr.end();
    };
    row(table.headers, true);
    for (const cells of table.rows) row(cells, false);
    element.end();
    this.doc.moveDown(1);
  }

  /** An SVG drawn as vectors, as a figure whose alternative text says what it shows. */
  svgFigure(svg: string, alt: string, box: { width: number; height: number; x?: number; y?: number }) {
    const x = box.x ?? this.left;
    const placed = box.y !== undefined;
    if (!placed) this.keepTogether(box.height);
    const y = box.y ?? this.doc.y;
    this.#root.add(
      this.doc.struct('Figure', { alt }, () => {
        SVGtoPDF(this.doc, svg, x, y, {
          width: box.width,
          height: box.height,
          preserveAspectRatio: 'xMinYMin meet',
          fontCallback: (_family: string, bold: boolean) => (bold ? 'Bold' : 'Body'),
        });
      }),
    );
    if (!placed) {
      this.doc.x = this.left;
      this.doc.y = y + box.height + 8;
    }
  }

  /** A raster image (a PNG logo) as a figure with alternative text. */
  imageFigure(png: Buffer, alt: string, box: { x: number; y: number; fit: [number, number] }) {
    this.#root.add(
      this.doc.struct('Figure', { alt }, () => {
        this.doc.image(png, box.x, box.y, { fit: box.fit });
      }),
    );
  }

  /** Drawing that carries no meaning (rules, borders): marked so screen readers skip it. */
  artifact(draw: () => void) {
    this.doc.markContent('Artifact', { type: 'Layout' });
    draw();
    this.doc.endMarkedContent();
  }

  /** Ends the document and returns its bytes. */
  finish(): Promise<Buffer> {
    this.#root.end();
    this.doc.end();
    return this.#done;
  }
}
