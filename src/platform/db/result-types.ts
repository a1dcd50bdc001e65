/**
 * Both backends return the same JavaScript values: bigint counts as numbers, calendar dates as 'YYYY-MM-DD'.
 * The type ids and parsers each backend's driver is given.
 */
export const INT8_OID = 20;
export const DATE_OID = 1082;
export const sameValue = (value: string) => value;
