/**
 * Exit status when our own side failed (sysexits' EX_UNAVAILABLE): nothing was decided, so a script must not read
 * it as "not verified" (1). In a file of its own so that `main.ts` knows it without loading any command.
 */
export const EXIT_UNAVAILABLE = 69;
