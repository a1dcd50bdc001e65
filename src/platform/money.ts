/**
 * Money is kept as integer cents; these turn it into the words and figures people and files read. The one
 * formatter of money: pages, mail, exports and forms all show amounts through it.
 */

/** '$10.00', '-$2.50'. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.abs(cents);
  return `${sign}$${Math.floor(whole / 100).toLocaleString('en-US')}.${String(whole % 100).padStart(2, '0')}`;
}

/**
 * '10.00', '-2.50': the plain decimal a student-account system imports, a form field holds and schema.org's
 * `price` expects (no symbol, no separators).
 */
export function decimalAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.abs(cents);
  return `${sign}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}
