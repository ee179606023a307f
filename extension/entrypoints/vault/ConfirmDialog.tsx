import { useEffect, useRef } from 'preact/hooks';

/**
 * A confirm step for actions that cannot be taken back in one click ("disconnect", "stop all sharing").
 * A native modal <dialog> (showModal): the rest of the page is inert and Tab cycles inside it; Escape
 * cancels (the browser's own `cancel` event); focus starts on Cancel, the safe choice, and goes back to
 * the button that opened it when it closes.
 */
export function ConfirmDialog({ title, body, confirm, onConfirm, onCancel }: {
  title: string;
  body: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current!;
    dialog.showModal();
    dialog.querySelector<HTMLButtonElement>('button[data-cancel]')?.focus();
    const cancel = (e: Event) => {
      e.preventDefault();
      onCancel();
    };
    // The modal makes the page inert, but Tab past the last button would leave for the browser's own
    // toolbar: keep it cycling between the dialog's buttons.
    const trap = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const buttons = [...dialog.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      e.preventDefault();
      buttons[(at + (e.shiftKey ? -1 : 1) + buttons.length) % buttons.length]?.focus();
    };
    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('keydown', trap);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('keydown', trap);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class="sm-card sm-stack confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-body">
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-body">{body}</p>
      <div class="sm-actions">
        <button class="sm-button" data-cancel onClick={onCancel}>Cancel</button>
        <button class="sm-button danger" onClick={onConfirm}>{confirm}</button>
      </div>
    </dialog>
  );
}
