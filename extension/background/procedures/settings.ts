import { FieldErrors, UiError } from '../../../shared/protocol/ui-errors';
import { DEFAULT_SETTINGS, networkChanged, Settings, settingsErrors } from '../../../shared/settings/schema';
import { scheduleAutoLock } from '../../keys/auto-lock';
import { unlocked } from '../../keys/unlocked';
import { chainStatus } from '../../settings/chain-status';
import { readVault } from '../../keys/vault-store';
import { readSettings, readSettingsChecked, writeSettings } from '../../settings/store';
import type { Procedures } from './index';

export const settingsProcedures: Procedures<'settings.get' | 'settings.save' | 'settings.chainStatus'> = {
  'settings.get': async () => ({ ...(await readSettingsChecked()), defaults: DEFAULT_SETTINGS }),

  /** Invalid values save nothing; a network change needs an unlocked vault and an explicit confirm. */
  'settings.save': async ({ settings, confirmNetworkChange }) => {
    const parsed = Settings.safeParse(settings);
    if (!parsed.success) throw new FieldErrors('Some settings are not valid. Nothing was saved.', settingsErrors(parsed.error));
    const current = await readSettings();
    if (networkChanged(current, parsed.data)) {
      if (!(await unlocked())) throw new UiError('locked', 'Unlock your vault to change network settings. Nothing was saved.');
      if (!confirmNetworkChange) throw new UiError('needs_confirmation', 'Please confirm the network change. Nothing was saved.');
    }
    // A longer auto-lock keeps the vault open longer: only the patient, with the vault open, may choose it.
    if (parsed.data.autoLockMinutes > current.autoLockMinutes && (await readVault()) && !(await unlocked())) {
      throw new UiError('locked', 'Unlock your vault to make the auto-lock time longer. Nothing was saved.');
    }
    await writeSettings(parsed.data);
    if (parsed.data.autoLockMinutes !== current.autoLockMinutes && (await unlocked())) {
      await scheduleAutoLock(parsed.data.autoLockMinutes);
    }
    return { settings: parsed.data };
  },

  'settings.chainStatus': async ({ rpcUrl, chainId }) => {
    const current = await readSettings();
    return chainStatus({ rpcUrl: rpcUrl ?? current.rpcUrl, chainId: chainId ?? current.chainId });
  },
};
