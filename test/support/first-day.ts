// Shared by the "first day at Northwind" journeys (Chromium and service level), never by production code.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { loadDemoUniversity } from '../../src/demo/demo-data.ts';
import { pngOf } from './uploads.ts';

/** The institution the journeys set up from nothing. */
export const northwind = {
  name: 'Northwind State College',
  shortName: 'NSC',
  url: 'https://www.northwind-state.example',
  email: 'badges@northwind-state.example',
  timeZone: 'America/Denver',
  primaryColour: '#123c69',
  accentColour: '#ac3b61',
  fee: '25',
} as const;

/** The people who work there, each invited with the roles they need; the first administrator comes from the CLI. */
export const staff = {
  admin: { name: 'Robin Achterberg', email: 'robin.achterberg@northwind-state.example' },
  lead: { name: 'Tamsin Oyelowo-Park', email: 'tamsin.park@northwind-state.example', role: 'program_lead' },
  signer: { name: 'Ilse Marwick', email: 'ilse.marwick@northwind-state.example', role: 'signer' },
  office: { name: 'Farid Aldana', email: 'farid.aldana@northwind-state.example', role: 'credentials_office' },
} as const;

/** The learner who only wants the badge. */
export const newcomer = {
  name: 'Wilhelmina Osei',
  email: 'w.osei@mail.example',
  studentId: 'NW-204417',
} as const;

/** Passwords people choose on their invitation, sign-up and first-administrator pages. */
export const passwordOf = (who: string) => `${who} chose a long passphrase`;

export const department = { code: 'MAR', name: 'Maritime and Port Operations' } as const;

/** The proposed program: two of the imported courses. */
export const program = {
  title: 'Harbour Logistics Fundamentals',
  slug: 'harbour-logistics-fundamentals',
  courses: ['MAR 110', 'MAR 215'],
} as const;

/** Terms as Banner exports them (STVTERM). */
export const termsCsv = [
  'STVTERM_CODE,STVTERM_DESC,STVTERM_START_DATE,STVTERM_END_DATE',
  '202530,Fall 2025,25-AUG-2025,12-DEC-2025',
  '202610,Spring 2026,12-JAN-2026,08-MAY-2026',
  '202620,Summer 2026,01-JUN-2026,14-AUG-2026',
].join('\n');

const courseTitles = [
  'Introduction to Harbour Operations',
  'Cargo Handling Systems',
  'Port Safety and Security',
  'Maritime Law Basics',
  'Vessel Scheduling',
  'Container Yard Planning',
  'Customs and Trade Compliance',
  'Tug and Pilotage Services',
  'Marine Weather for Operators',
  'Bulk Terminal Practice',
  'Refrigerated Cargo Chains',
  'Port Finance',
  'Dredging and Channel Upkeep',
  'Harbour Environmental Stewardship',
  'Intermodal Rail Links',
  'Ship Agency Practice',
  'Crane Operations Oversight',
  'Port Information Systems',
  'Crisis Response on the Waterfront',
  'Capstone in Port Operations',
];

/** Twenty courses as the registrar's "ours" columns write them. */
export const coursesCsv = [
  'subject,number,title,credits,department,level',
  ...courseTitles.map((title, index) => {
    const number = index === 0 ? 110 : index === 1 ? 215 : 300 + index;
    return `MAR,${number},${title},3,${department.code},undergraduate`;
  }),
].join('\n');

/**
 * A real 64 × 64 PNG (a navy square with a band across it), so the logo shows in screenshots and its bytes can be
 * compared with what the badge's issuer image answers.
 */
export function northwindLogo(): Buffer {
  const size = 64;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const band = y > 26 && y < 38;
      row.set(band ? [0xac, 0x3b, 0x61, 0xff] : [0x12, 0x3c, 0x69, 0xff], 1 + x * 4);
    }
    rows.push(row);
  }
  return pngOf(size, size, [], deflateSync(Buffer.concat(rows)));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The demo university's names, read from its data file so a new demo person or program is covered too: the
 * institution's names and domain, its people, learners, programs and certificates. A page of a real
 * installation shows none of them.
 */
export function demoNamePatterns(): { name: string; pattern: RegExp }[] {
  const demo = loadDemoUniversity();
  const names = [
    demo.institution.name,
    demo.institution.shortName,
    new URL(demo.institution.url).hostname.replace(/^www\./, ''),
    ...demo.users.map((u) => u.name),
    ...demo.learners.map((l) => l.name),
    ...demo.programs.map((p) => p.title),
    ...demo.certificates.map((c) => c.title),
  ];
  return [...new Set(names)].map((name) => ({ name, pattern: new RegExp(`\\b${escapeRegExp(name)}\\b`) }));
}

/** Fails naming the demo names `text` (a page's visible text or markup) shows. */
export function assertNoDemoName(text: string, where: string): void {
  const found = demoNamePatterns()
    .filter(({ pattern }) => pattern.test(text))
    .map(({ name }) => name);
  assert.deepEqual(found, [], `${where} shows demo names`);
}

/** The completions the student system sends for the newcomer: both courses of the program, passed. */
export const completionsCsv = (studentId: string, email: string) =>
  [
    'student_id,course_code,term,grade,credits,completed_on,email',
    ...program.courses.map((code) => `${studentId},${code},2025 Fall,A-,3,2025-12-10,${email}`),
  ].join('\n');
