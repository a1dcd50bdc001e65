import { readFileSync } from 'node:fs';

/** A small seeded generator (mulberry32), so benchmark data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The demo university's data file (src/demo/demo-university.json). */
export function readDemoUniversity(): DemoUniversity {
  const file = new URL('../../src/demo/demo-university.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as DemoUniversity;
}

export interface DemoUniversity {
  institution: { name: string; url: string; email: string; description: string };
  courses: { code: string; title: string; credits: number; level: 'undergraduate' | 'graduate' }[];
  programs: {
    slug: string;
    title: string;
    summary: string;
    description: string;
    status: string;
    credits: { min: number; max: number };
    courses: string[];
    skills: { name: string; framework?: string; code?: string; url?: string }[];
    requirement: unknown;
  }[];
}
