// The command line's exit codes, in a file of their own so that `main.ts` knows them without loading any command.

/**
 * Exit status when our own side failed (sysexits' EX_UNAVAILABLE): nothing was decided, so a script must not read
 * it as "not verified" (1).
 */
export const EXIT_UNAVAILABLE = 69;

/** sysexits.h: the command was used incorrectly (an unknown option, a refused value). */
export const EX_USAGE = 64;
