import { checkNames, statusWords } from './check-labels.ts';
import type { VerificationReport } from './verification.service.ts';

/** Each verification check in plain words, as the /verify page and public badge pages show them. */
export function CheckList({ checks }: { checks: VerificationReport['checks'] }) {
  return (
    <ol class="check-list">
      {checks.map((check) => {
        const words = statusWords[check.status];
        return (
          <li key={check.id} class={`check check-${check.status}`}>
            <span class="check-symbol" aria-hidden="true">
              {words.mark}
            </span>
            <div>
              <strong>
                {checkNames[check.id]}: {words.word}
              </strong>
              <br />
              {check.message}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
