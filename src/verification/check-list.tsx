import { checkNameOf, statusWords } from './check-labels.ts';
import type { CredentialKind } from './credential-kind.ts';
import type { VerificationReport } from './verification.service.ts';

/**
 * Each verification check in plain words, as the /verify page and public badge pages show them; `kind` names what was
 * checked (badge pages hold badges, the /verify page any credential).
 */
export function CheckList({
  checks,
  kind = 'open-badge',
}: {
  checks: VerificationReport['checks'];
  kind?: CredentialKind;
}) {
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
                {checkNameOf(check.id, kind)}: {words.word}
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
