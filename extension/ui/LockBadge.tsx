/** The lock state, in words and shape (not colour alone). */
export function LockBadge({ status }: { status: 'locked' | 'unlocked' }) {
  const locked = status === 'locked';
  return (
    <span class={`sm-badge${locked ? ' locked' : ''}`} data-testid="lock-state" role="status">
      <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
        <rect x="2" y="5" width="8" height="6" rx="1.5" fill="currentColor" />
        <path d={locked ? 'M4 5V3.5a2 2 0 0 1 4 0V5' : 'M4 5V3.5a2 2 0 0 1 3.9-.6'} stroke="currentColor" stroke-width="1.4" fill="none" />
      </svg>
      {locked ? 'Locked' : 'Unlocked'}
    </span>
  );
}
