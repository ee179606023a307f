interface Props {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error?: string;
  onInput(value: string): void;
}

/** A labelled text input whose hint and error are announced with it. */
export function Field({ id, label, value, hint, error, onInput }: Props) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class="sm-field">
      <label for={id}>{label}</label>
      <input id={id} class="sm-input" value={value} aria-invalid={!!error} aria-describedby={described}
        onInput={(e) => onInput(e.currentTarget.value)} />
      {hint && <span id={`${id}-hint`} class="sm-hint">{hint}</span>}
      {error && <span id={`${id}-error`} class="sm-error">{error}</span>}
    </div>
  );
}
