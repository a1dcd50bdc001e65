/**
 * Money is kept as integer cents; these turn it into the words and figures people and files read. The one
 * formatter of money: pages, mail, exports and forms all show amounts through it.
 */

import { currentDisplay } from './display.ts';

/**
 * '$10.00', '-€2.50': an amount in the institution's currency, taken from the render in progress (`display.ts`);
 * views call this and never need to know which currency that is.
 */
export function formatCents(cents: number): string {
  return formatMoney(cents, currentDisplay().currency);
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

/** '€10.00', 'CA$1,250.00': an amount in the given ISO 4217 currency (hundredths, like every amount here). */
export function formatMoney(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(cents / 100);
}

/** Formatters kept per currency: making one costs far more than using it, and a list page shows many amounts. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** '10', '10.5', '1,250.00' as cents; undefined when it is not an amount (no sign, at most two decimals). */
export function parseAmount(text: string): number | undefined {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/,(?=\d{3}(\D|$))/g, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/**
 * Why `code` cannot be the currency of fees, or undefined when it can: it must be an ISO 4217 code this runtime
 * knows, and one counted in hundredths, since amounts are kept as integer cents.
 */
export function currencyProblem(code: string): string | undefined {
  if (!/^[A-Z]{3}$/.test(code) || !Intl.supportedValuesOf('currency').includes(code)) {
    return 'must be an ISO 4217 currency code such as USD, EUR or CAD';
  }
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits;
  return digits === 2
    ? undefined
    : `is counted in ${digits === 0 ? 'whole units' : `${digits} decimals`}; fees are kept in hundredths`;
}
