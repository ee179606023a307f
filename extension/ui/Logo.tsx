/** The SecureMed mark: a cross on the accent square. Decorative, so hidden from screen readers. */
export function Logo() {
  return (
    <span class="sm-logo" aria-hidden="true">
      <svg width="18" height="18" viewBox="0 0 18 18"><path d="M7 2h4v5h5v4h-5v5H7v-5H2V7h5z" fill="#fff" /></svg>
    </span>
  );
}
