interface Props {
  onCreate(): void;
  onRestore(): void;
}

export function Welcome({ onCreate, onRestore }: Props) {
  return (
    <section class="sm-card sm-stack" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Your health records, your keys</h1>
      <p class="sm-muted">
        SecureMed keeps your medical records encrypted in this browser. Only you hold the keys, and you decide who
        may see what, why, and for how long.
      </p>
      <button class="sm-button primary" onClick={onCreate}>Create a new vault</button>
      <button class="sm-button" onClick={onRestore}>Restore from a recovery phrase</button>
    </section>
  );
}
