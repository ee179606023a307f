import { useMemo, useState } from 'preact/hooks';
import type { VaultState } from '../../../shared/protocol/ui/vault';
import { ask } from '../../ui/messenger';
import { PassphraseFields, passphraseProblem } from '../../ui/PassphraseFields';
import { PhraseWords } from './PhraseWords';

interface Props {
  onDone(state: VaultState): void;
  onCancel(): void;
}

/**
 * Creating a vault in three steps: a passphrase, the recovery phrase (shown once, on request), and
 * three of its words typed back, so nobody finishes without having written it down.
 */
export function CreateVault({ onDone, onCancel }: Props) {
  const [step, setStep] = useState<1 | 2 | 3>(1);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [words, setWords] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const toPhrase = async (e: Event) => {
    e.preventDefault();
    const problem = passphraseProblem(passphrase, confirm);
    if (problem) return setError(problem);
    setError(undefined);
    try {
      setWords((await ask({ type: 'vault.create.begin' })).words);
      setStep(2);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const cancel = async () => {
    await ask({ type: 'vault.create.cancel' }).catch(() => undefined);
    onCancel();
  };

  return (
    <section class="sm-card sm-stack" aria-labelledby="create-title">
      <div class="sm-steps">Step {step} of 3</div>
      {step === 1 && (
        <form class="sm-stack" onSubmit={toPhrase}>
          <h1 id="create-title">Choose a passphrase</h1>
          <p class="sm-muted">You will type it to unlock SecureMed on this computer. It never leaves this browser.</p>
          <PassphraseFields passphrase={passphrase} confirm={confirm} onPassphrase={setPassphrase} onConfirm={setConfirm} error={error} />
          <div class="sm-actions">
            <button type="button" class="sm-button" onClick={cancel}>Back</button>
            <button type="submit" class="sm-button primary">Continue</button>
          </div>
        </form>
      )}
      {step === 2 && <ShowPhrase words={words} onNext={() => setStep(3)} onCancel={cancel} />}
      {step === 3 && (
        <ConfirmWords
          words={words}
          busy={busy}
          error={error}
          onBack={() => (setError(undefined), setStep(2))}
          onSubmit={async (confirmations) => {
            setBusy(true);
            setError(undefined);
            try {
              onDone(await ask({ type: 'vault.create.finish', passphrase, confirmations }));
            } catch (err) {
              setError((err as Error).message);
              setBusy(false);
            }
          }}
        />
      )}
    </section>
  );
}

function ShowPhrase({ words, onNext, onCancel }: { words: string[]; onNext(): void; onCancel(): void }) {
  const [shown, setShown] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <div class="sm-stack">
      <h1 id="create-title">Write down your recovery phrase</h1>
      <p class="sm-muted">
        These {words.length} words are the only way to restore your vault on another computer. Write them on paper, in order.
      </p>
      <p class="sm-alert warn">Anyone with these words can open your records. Don't take a screenshot, don't email them, and don't share them with anyone, not even support.</p>
      <PhraseWords words={words} hidden={!shown} />
      {!shown && <button class="sm-button" onClick={() => setShown(true)}>Show my recovery phrase</button>}
      <label class="sm-row">
        <input type="checkbox" checked={saved} disabled={!shown} onChange={(e) => setSaved(e.currentTarget.checked)} />
        <span>I have written down all {words.length} words</span>
      </label>
      <div class="sm-actions">
        <button class="sm-button" onClick={onCancel}>Cancel</button>
        <button class="sm-button primary" disabled={!saved} onClick={onNext}>Continue</button>
      </div>
    </div>
  );
}

function ConfirmWords(props: {
  words: string[];
  busy: boolean;
  error?: string;
  onBack(): void;
  onSubmit(c: Array<{ index: number; word: string }>): void;
}) {
  // Three positions at random, in order; a new set each time this step is shown.
  const positions = useMemo(() => pickPositions(props.words.length, 3), [props.words]);
  const [answers, setAnswers] = useState<string[]>(['', '', '']);
  return (
    <form class="sm-stack" onSubmit={(e) => (e.preventDefault(), props.onSubmit(positions.map((index, i) => ({ index, word: answers[i] }))))}>
      <h1 id="create-title">Check your recovery phrase</h1>
      <p class="sm-muted">Type these words from what you wrote down.</p>
      {positions.map((index, i) => (
        <div class="sm-field" key={index}>
          <label for={`confirm-word-${i}`}>Word #{index + 1}</label>
          <input id={`confirm-word-${i}`} class="sm-input" autoComplete="off" autoCapitalize="off" spellcheck={false} value={answers[i]}
            onInput={(e) => setAnswers(answers.map((a, j) => (j === i ? e.currentTarget.value : a)))} />
        </div>
      ))}
      {props.error && <p class="sm-alert" role="alert">{props.error}</p>}
      <div class="sm-actions">
        <button type="button" class="sm-button" onClick={props.onBack}>Back</button>
        <button type="submit" class="sm-button primary" disabled={props.busy}>
          {props.busy ? <><span class="sm-spinner" aria-hidden="true" /> Creating…</> : 'Create my vault'}
        </button>
      </div>
    </form>
  );
}

function pickPositions(count: number, n: number): number[] {
  const picked = new Set<number>();
  const random = new Uint32Array(1);
  while (picked.size < n) {
    crypto.getRandomValues(random);
    picked.add(random[0] % count);
  }
  return [...picked].sort((a, b) => a - b);
}
