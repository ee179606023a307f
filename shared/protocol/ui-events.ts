/**
 * background → extension pages (runtime.sendMessage) when the vault locks: every open page drops what
 * it shows and closes the viewer. Carries nothing private. No zod here: the popup imports this.
 */
export const VAULT_LOCKED = 'vault.locked';

export function isVaultLocked(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === VAULT_LOCKED && Object.keys(raw).length === 1;
}
