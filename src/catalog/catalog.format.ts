import { countOf } from '../platform/words.ts';
/** 32 → "32 credits". */
export const creditsPhrase = (credits: number) => countOf(credits, 'credit');

/** How many of a certificate's badges it needs: "All 3 micro-credentials", "Any 2 of 3 micro-credentials". */
export function badgesPhrase(needed: number, offered: number): string {
  const noun = (n: number) => (n === 1 ? 'micro-credential' : 'micro-credentials');
  if (offered === 0) return 'None offered at the moment';
  if (needed >= offered) return offered === 1 ? 'The 1 micro-credential' : `All ${offered} ${noun(offered)}`;
  return `Any ${needed} of ${offered} ${noun(offered)}`;
}
