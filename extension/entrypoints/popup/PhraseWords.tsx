/**
 * The recovery phrase as a numbered grid. Not selectable (no accidental copy to the clipboard) and
 * blurred until the patient asks to see it (someone may be looking over their shoulder).
 */
export function PhraseWords({ words, hidden }: { words: string[]; hidden: boolean }) {
  return (
    <ol class={`sm-words${hidden ? ' hidden' : ''}`} aria-label="Recovery phrase" data-testid="phrase" aria-hidden={hidden}
      onCopy={(e) => e.preventDefault()}>
      {words.map((word, i) => (
        <li key={i}><span>{i + 1}.</span>{hidden ? '•••••' : word}</li>
      ))}
    </ol>
  );
}
