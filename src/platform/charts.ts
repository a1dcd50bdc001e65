/**
 * Charts drawn on the server as SVG with Vega-Lite, so a page needs no script to show them and prints as it
 * looks. Each chart is an image with its own title and description for screen readers; the page puts the same
 * numbers in a table beside it, which is what assistive technology and exports read.
 *
 * Colours are the Okabe–Ito palette, told apart by people with the common colour-vision deficiencies and in
 * greyscale print.
 */
import { randomUUID } from 'node:crypto';
import { BoundedMap } from './bounded-map.ts';

export const chartPalette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

export interface BarChart {
  /** Read first by screen readers, and shown as the figure's caption by the page. */
  title: string;
  /** One or two sentences saying what the chart shows and its main finding. */
  description: string;
  /** The axis along the bottom: terms, paths, statuses. */
  categories: readonly string[];
  categoryTitle: string;
  valueTitle: string;
  /** One bar per category in each series, side by side; each `values` lines up with `categories`. */
  series: readonly { name: string; values: readonly number[] }[];
  /** Bars running left to right, for categories with long names (enrolment paths); terms stand upright. */
  horizontal?: boolean;
}

// Vega is large; the first chart loads it, and pages without charts never do.
let vegaModules: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
const loadVega = () => {
  vegaModules ??= Promise.all([import('vega'), import('vega-lite')]);
  return vegaModules;
};

/**
 * Drawn charts by what they show: drawing is a pure function of the chart, and Vega takes tens of milliseconds a
 * chart, which a dashboard asked again with the same numbers need not pay twice. New numbers make a new key, so a
 * chart can never show stale figures; the oldest drawings go first once the cache is full.
 */
const DRAWN_LIMIT = 300;
const drawn = new BoundedMap<string, Promise<string>>(DRAWN_LIMIT);

/** The chart as an SVG element: `role="img"`, labelled by its own `<title>` and `<desc>`. */
export async function barChartSvg(chart: BarChart): Promise<string> {
  const key = JSON.stringify([
    chart.categories,
    chart.categoryTitle,
    chart.valueTitle,
    chart.series,
    chart.horizontal,
  ]);
  let svg = drawn.get(key);
  if (svg) {
    // Most recently used last, so the first key is the one to drop.
    drawn.delete(key);
  } else {
    svg = drawVega(chart);
    svg.catch(() => drawn.delete(key));
  }
  drawn.set(key, svg);
  // Title, description and the ids that join them are added each time: ids stay unique on a page.
  return labelled(await svg, chart.title, chart.description);
}

async function drawVega(chart: BarChart): Promise<string> {
  const [vega] = await loadVega();
  const values = chart.series.flatMap((s) =>
    chart.categories.map((category, i) => ({ category, series: s.name, value: s.values[i] ?? 0 })),
  );
  const view = new vega.View(await runtimeFor(chart), { renderer: 'none' }).data(BARS, values);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The name under which a chart's numbers are handed to its compiled form. */
const BARS = 'bars';

/**
 * Charts compiled by their shape: titles, series and orientation, not the numbers nor the categories, which reach
 * the compiled chart as data. Compiling the Vega-Lite chart and parsing the Vega it gives is about half of drawing
 * one (2026-12-07: 28 ms a chart drawn from scratch, 13 ms from its compiled shape, the SVG byte for byte the same).
 * With the categories part of the shape, a program's chart of the courses its learners still need was compiled
 * anew for every program; now every program's charts share three shapes (60 charts of 1–7 categories in 1–3 series
 * drawn both ways: the same SVG, byte for byte).
 */
const COMPILED_LIMIT = 100;
const compiled = new BoundedMap<string, Promise<import('vega').Runtime>>(COMPILED_LIMIT);

function runtimeFor(chart: BarChart): Promise<import('vega').Runtime> {
  const key = JSON.stringify([
    chart.categoryTitle,
    chart.valueTitle,
    chart.series.map((s) => s.name),
    chart.horizontal,
  ]);
  let runtime = compiled.get(key);
  if (!runtime) {
    runtime = compile(chart);
    runtime.catch(() => compiled.delete(key));
    compiled.set(key, runtime);
  }
  return runtime;
}

async function compile(chart: BarChart): Promise<import('vega').Runtime> {
  const [vega, vegaLite] = await loadVega();
  const several = chart.series.length > 1;
  const category = {
    field: 'category',
    type: 'nominal' as const,
    title: chart.categoryTitle,
    // In the order the numbers come in, which is the chart's order of categories (see drawVega): the categories are
    // then numbers like the values, and one compiled shape serves every program's list of courses or terms.
    sort: null,
    axis: chart.horizontal ? { labelLimit: 240 } : { labelAngle: -40, labelLimit: 160 },
  };
  const value = {
    field: 'value',
    type: 'quantitative' as const,
    title: chart.valueTitle,
    axis: { tickMinStep: 1, format: 'd' },
  };
  const offset = several ? { field: 'series', sort: chart.series.map((s) => s.name) } : undefined;
  const band = { step: several ? 18 * chart.series.length : 30 };
  const { spec } = vegaLite.compile({
    ...(chart.horizontal ? { height: band, width: 260 } : { width: band, height: 220 }),
    data: { name: BARS },
    mark: { type: 'bar', tooltip: false },
    config: {
      aria: false,
      font: 'DejaVu Sans, Arial, sans-serif',
      axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#222', titleColor: '#222' },
      legend: { labelFontSize: 12, titleFontSize: 12, labelColor: '#222', titleColor: '#222' },
    },
    encoding: {
      ...(chart.horizontal
        ? { y: category, x: value, ...(offset ? { yOffset: offset } : {}) }
        : { x: category, y: value, ...(offset ? { xOffset: offset } : {}) }),
      color: {
        field: 'series',
        title: null,
        sort: chart.series.map((s) => s.name),
        scale: { range: chartPalette.slice(0, Math.max(1, chart.series.length)) },
        legend: several ? { orient: 'top' } : null,
      },
    },
  });
  return vega.parse(spec);
}

/** Gives Vega's SVG an accessible name and description, and lets it shrink on narrow screens. */
function labelled(svg: string, title: string, description: string): string {
  const id = `chart-${randomUUID().slice(0, 8)}`;
  const open = svg.indexOf('>') + 1;
  const start = svg
    .slice(0, open)
    .replace('<svg ', `<svg role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" `)
    .replace(/ class="marks"/, ' class="chart"');
  // Inside an image the parts are not read one by one: Vega's own roles on its groups and marks would make axe
  // (rightly) ask each for a name, so they are dropped and the title and description speak for the whole.
  const body = svg.slice(open).replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, '');
  return `${start}<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>${body}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
