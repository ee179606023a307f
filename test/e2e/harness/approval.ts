import type { Page } from 'playwright-core';

/**
 * Answer an approval window the way a patient does: click "Allow" or "Don't allow". The window closes
 * itself as soon as the choice is recorded, which can race the end of Playwright's click (or key
 * press); a "closed" error after the action was dispatched is the expected outcome, not a failure.
 * The caller still checks what the page received.
 */
export async function answerApproval(win: Page, choice: 'Allow' | "Don't allow" | { key: string }): Promise<void> {
  const act = typeof choice === 'string'
    ? win.getByRole('button', { name: choice, exact: true }).click()
    : win.keyboard.press(choice.key);
  await act.catch((error: Error) => {
    if (!/closed/.test(error.message)) throw error;
  });
}
