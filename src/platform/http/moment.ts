/** A moment as staff pages show it, to the minute and in UTC: '2026-11-25 15:04 UTC'. */
export const formatMoment = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
