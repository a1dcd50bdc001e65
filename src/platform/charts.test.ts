import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BarChart, barChartSvg } from './charts.ts';

const chart = (values: number[], title = 'Badges per term'): BarChart => ({
  title,
  description: 'Badges issued each term.',
  categories: ['Fall', 'Spring'],
  categoryTitle: 'Term',
  valueTitle: 'Badges',
  series: [{ name: 'Badges', values }],
});

/** The drawing without the ids that tie its title and description to it. */
const drawing = (svg: string) => svg.replace(/chart-[0-9a-f]{8}/g, 'chart-id');

test('a chart drawn again with the same numbers is the same drawing, with ids of its own', async () => {
  const first = await barChartSvg(chart([3, 5]));
  const again = await barChartSvg(chart([3, 5]));
  assert.equal(drawing(again), drawing(first));
  assert.notEqual(/chart-([0-9a-f]{8})/.exec(again)?.[1], /chart-([0-9a-f]{8})/.exec(first)?.[1]);
});

test('new numbers, or a new title, are drawn anew rather than taken from an earlier drawing', async () => {
  const first = await barChartSvg(chart([3, 5]));
  const changed = await barChartSvg(chart([3, 9]));
  assert.notEqual(drawing(changed), drawing(first));
  const renamed = await barChartSvg(chart([3, 5], 'Completions per term'));
  assert.match(renamed, /<title id="chart-[0-9a-f]{8}-title">Completions per term<\/title>/);
});

test('charts of one shape drawn at once each show their own numbers', async () => {
  // One compiled shape serves both: each drawing gets the numbers it was asked for and no others.
  const [small, large] = await Promise.all([barChartSvg(chart([1, 2])), barChartSvg(chart([40, 80]))]);
  const ticks = (svg: string) => [...svg.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]));
  assert.equal(Math.max(...ticks(small)), 2);
  assert.equal(Math.max(...ticks(large)), 80);
});

test("charts that differ only in their categories each show their own, in the chart's order", async () => {
  const labels = (svg: string) => [...svg.matchAll(/>([A-Z][a-z]+)<\/text>/g)].map((m) => m[1]);
  // A category title of their own, so that no earlier test has drawn their shape.
  const lettered = (categories: string[]) => ({ ...chart([1, 2]), categories, categoryTitle: 'Letter' });
  const first = await barChartSvg(lettered(['Alpha', 'Beta']));
  const second = await barChartSvg(lettered(['Beta', 'Alpha']));
  assert.deepEqual(
    labels(first).filter((l) => l !== 'Letter' && l !== 'Badges'),
    ['Alpha', 'Beta'],
  );
  assert.deepEqual(
    labels(second).filter((l) => l !== 'Letter' && l !== 'Badges'),
    ['Beta', 'Alpha'],
  );
});
