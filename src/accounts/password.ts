import argon2 from 'argon2';

/** How much work one argon2id hash is: memory in KiB and passes over it. The hash records it, so any verifies. */
export interface PasswordCost {
  readonly memoryCost: number;
  readonly timeCost: number;
}

// OWASP's recommended argon2id floor (19 MiB, 2 passes): strong, and fast enough that login stays quick.
export const STANDARD_PASSWORD_COST: PasswordCost = { memoryCost: 19_456, timeCost: 2 };

/**
 * The smallest argon2id work (1 MiB, one pass), for test apps only (`AppOptions.passwordCost`): the same
 * algorithm, library and code path, at a fortieth of the CPU. A test suite makes and checks about a thousand
 * passwords, so at the standard cost they were half a minute of CPU on every run.
 */
export const TEST_PASSWORD_COST: PasswordCost = { memoryCost: 1024, timeCost: 1 };

/** Smallest and largest accepted password lengths. Long passphrases are welcome. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Hashes new passwords at one cost and checks passwords against stored hashes, whatever cost they were made at. */
export class PasswordHasher {
  #decoy: Promise<string> | undefined;

  constructor(private readonly cost: PasswordCost = STANDARD_PASSWORD_COST) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, parallelism: 1, ...this.cost });
  }

  /**
   * Checks a password against a stored hash. With no hash (unknown e-mail) it still does the work against a
   * decoy made at the same cost, so response time does not reveal which e-mail addresses have accounts.
   */
  async verify(hash: string | null, password: string): Promise<boolean> {
    if (hash === null) {
      this.#decoy ??= this.hash('decoy password that matches nothing');
      await argon2.verify(await this.#decoy, password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash must not open the door; it simply does not match.
      return false;
    }
  }
}

const standard = new PasswordHasher();

/** Hashes at the standard cost (for code outside an app's services, which take the app's hasher). */
export const hashPassword = (password: string): Promise<string> => standard.hash(password);

/** Checks at the standard decoy cost (see `PasswordHasher.verify`). */
export const verifyPassword = (hash: string | null, password: string): Promise<boolean> =>
  standard.verify(hash, password);

/** Why a new password is not acceptable, or null when it is. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  if (password.toLowerCase() === email.toLowerCase()) return 'must not be your e-mail address';
  return null;
}
