import { passphraseStrength } from '../../shared/crypto/passphrase-strength';

interface Props {
  passphrase: string;
  confirm: string;
  onPassphrase(value: string): void;
  onConfirm(value: string): void;
  error?: string;
}

/** Passphrase + confirmation with a live strength hint. Labels and hints are tied to the inputs. */
export function PassphraseFields({ passphrase, confirm, onPassphrase, onConfirm, error }: Props) {
  const strength = passphraseStrength(passphrase);
  const mismatch = confirm.length > 0 && confirm !== passphrase;
  return (
    <>
      <div class="sm-field">
        <label for="new-passphrase">Passphrase</label>
        <input id="new-passphrase" class="sm-input" type="password" autoComplete="new-password" value={passphrase}
          aria-describedby="strength-hint" onInput={(e) => onPassphrase(e.currentTarget.value)} />
        <div id="strength-hint" class="sm-hint" aria-live="polite">
          {strength.label && <meter class="sm-meter" min={0} max={3} low={1.5} high={2.5} optimum={3} value={strength.score} aria-hidden="true" />}{' '}
          {strength.label && <strong data-testid="strength">{strength.label}. </strong>}
          {strength.hint}
        </div>
      </div>
      <div class="sm-field">
        <label for="confirm-passphrase">Type it again</label>
        <input id="confirm-passphrase" class="sm-input" type="password" autoComplete="new-password" value={confirm}
          aria-invalid={mismatch} onInput={(e) => onConfirm(e.currentTarget.value)} />
        {mismatch && <span class="sm-error">The two passphrases do not match.</span>}
      </div>
      {error && <p class="sm-alert" role="alert">{error}</p>}
    </>
  );
}

/** The same checks the background makes, so the patient hears about them before waiting for scrypt. */
export function passphraseProblem(passphrase: string, confirm: string): string | undefined {
  if (!passphrase) return 'Please choose a passphrase.';
  if (passphrase.length < 8) return 'Your passphrase needs at least 8 characters.';
  if (passphrase !== confirm) return 'The two passphrases do not match.';
  return undefined;
}
