import type { FieldProblem } from '../platform/errors.ts';
import { Field } from '../platform/http/forms.tsx';

/** Signing in with an e-mail address and a password, on the sign-in page and when claiming a badge. */
export function SignInFields({ email }: { email?: string }) {
  return (
    <>
      <Field
        name="email"
        label="E-mail address"
        type="email"
        value={email}
        required
        autocomplete="username"
      />
      <Field name="password" label="Password" type="password" required autocomplete="current-password" />
    </>
  );
}

/**
 * The names of the two fields in problems, for the form's ErrorSummary. The second field's label is an instruction
 * ('Type it again'), which read as "Type it again does not match the password."
 */
export const newPasswordLabels = (label: string) => ({
  password: label,
  confirm: 'The password typed again',
});

/** Choosing a password, typed twice: on a reset, an invitation and a badge claim. */
export function NewPasswordFields({ label, errors }: { label: string; errors?: FieldProblem[] }) {
  const labels = newPasswordLabels(label);
  return (
    <>
      <Field
        name="password"
        label={labels.password}
        type="password"
        hint="At least 10 characters. A few unrelated words make a strong password."
        required
        autocomplete="new-password"
        errors={errors}
      />
      <Field
        name="confirm"
        label="Type it again"
        errorLabel={labels.confirm}
        type="password"
        required
        autocomplete="new-password"
        errors={errors}
      />
    </>
  );
}
