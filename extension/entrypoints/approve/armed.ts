import { useEffect, useState } from 'preact/hooks';

/** How long the window must have been visible and focused before its buttons work. */
export const ARM_DELAY_MS = 500;

/**
 * Clickjacking and key-repeat guard: a window that just appeared (or just got the focus back) does not
 * take a click or Enter meant for the page underneath. Armed after `delayMs` of visible + focused;
 * re-armed from zero whenever the window loses focus or is hidden.
 */
export function useArmed(delayMs = ARM_DELAY_MS): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      setArmed(false);
    };
    const maybeArm = () => {
      disarm();
      if (document.visibilityState === 'visible' && document.hasFocus()) timer = setTimeout(() => setArmed(true), delayMs);
    };
    maybeArm();
    window.addEventListener('focus', maybeArm);
    window.addEventListener('blur', disarm);
    document.addEventListener('visibilitychange', maybeArm);
    return () => {
      disarm();
      window.removeEventListener('focus', maybeArm);
      window.removeEventListener('blur', disarm);
      document.removeEventListener('visibilitychange', maybeArm);
    };
  }, [delayMs]);
  return armed;
}
