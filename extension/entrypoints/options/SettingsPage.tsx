import { useEffect, useState } from 'preact/hooks';
import type { ChainStatus } from '../../../shared/protocol/ui/settings';
import type { Settings } from '../../../shared/settings/schema';
import { Logo } from '../../ui/Logo';
import { ask, UiError } from '../../ui/messenger';
import { EraseVault } from './EraseVault';
import { SupportLog } from './SupportLog';
import { KeyOnNetwork } from './KeyOnNetwork';
import { Field } from './Field';

/** Form state is text, as typed; the background's schema decides what is valid. */
type Form = Record<'chainId' | 'rpcUrl' | 'consent' | 'anchor' | 'directory' | 'messagingUrl' | 'relayerUrl' | 'autoLockMinutes', string>;

const toForm = (s: Settings): Form => ({
  chainId: String(s.chainId),
  rpcUrl: s.rpcUrl,
  consent: s.contracts.ConsentRegistry,
  anchor: s.contracts.RecordAnchor,
  directory: s.contracts.ProviderDirectory,
  messagingUrl: s.messagingUrl,
  relayerUrl: s.relayerUrl,
  autoLockMinutes: String(s.autoLockMinutes),
});

// A field left as text that is not a number stays text, so the schema reports it instead of NaN.
const numberOrText = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

/** `rest` carries the settings this page does not edit (the storage-node list) through a save unchanged. */
const fromForm = (f: Form, rest: Pick<Settings, 'storageNodes'>) => ({
  ...rest,
  chainId: numberOrText(f.chainId),
  rpcUrl: f.rpcUrl,
  contracts: { ConsentRegistry: f.consent, RecordAnchor: f.anchor, ProviderDirectory: f.directory },
  messagingUrl: f.messagingUrl,
  relayerUrl: f.relayerUrl,
  autoLockMinutes: numberOrText(f.autoLockMinutes),
});

const FIELD_OF: Record<string, keyof Form> = {
  'contracts.ConsentRegistry': 'consent',
  'contracts.RecordAnchor': 'anchor',
  'contracts.ProviderDirectory': 'directory',
};

export function SettingsPage() {
  const [form, setForm] = useState<Form>();
  const [fields, setFields] = useState<Partial<Record<keyof Form, string>>>({});
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string }>();
  const [needsConfirm, setNeedsConfirm] = useState(false);
  const [chain, setChain] = useState<ChainStatus>();
  const [tampered, setTampered] = useState(false);
  const [loaded, setLoaded] = useState<Settings>();

  const checkChain = () => ask({ type: 'settings.chainStatus' }).then(setChain, () => undefined);
  useEffect(() => {
    ask({ type: 'settings.get' }).then(({ settings, integrity }) => (setForm(toForm(settings)), setLoaded(settings), setTampered(integrity === 'tampered')));
    void checkChain();
  }, []);
  if (!form) return <main class="settings"><p class="sm-muted">Loading settings…</p></main>;

  const set = (key: keyof Form) => (value: string) => {
    setForm({ ...form, [key]: value });
    setNeedsConfirm(false);
  };

  const save = async (confirmNetworkChange: boolean) => {
    setFields({});
    setMessage(undefined);
    try {
      await ask({ type: 'settings.save', settings: fromForm(form, { storageNodes: loaded!.storageNodes }), confirmNetworkChange });
      setNeedsConfirm(false);
      setTampered(false);
      setMessage({ tone: 'info', text: 'Settings saved.' });
      void checkChain();
    } catch (error) {
      const e = error as UiError; // ask() only throws UiError
      if (e.code === 'needs_confirmation') return setNeedsConfirm(true);
      const mapped: Partial<Record<keyof Form, string>> = {};
      for (const [path, text] of Object.entries(e.fields)) mapped[FIELD_OF[path] ?? (path as keyof Form)] = text;
      setFields(mapped);
      setMessage({ tone: 'error', text: e.message });
    }
  };

  const field = (key: keyof Form, label: string, hint?: string) => (
    <Field id={`setting-${key}`} label={label} hint={hint} value={form[key]} error={fields[key]} onInput={set(key)} />
  );

  return (
    <main class="settings">
      <header class="sm-header"><Logo /><h1 class="sm-title">SecureMed settings</h1></header>
      <KeyOnNetwork />
      <form class="sm-stack" onSubmit={(e) => (e.preventDefault(), void save(false))} noValidate>
        <fieldset>
          <legend>Network</legend>
          {tampered && (
            <p class="sm-alert warn" role="alert" data-testid="settings-tampered">
              Your network settings were changed outside SecureMed, so they are not being used. SecureMed is on its
              default network (shown below) until you enter your network again and save.
            </p>
          )}
          <p class={`sm-alert ${chain?.reachable && chain.matches ? 'info' : 'warn'}`} role="status" data-testid="chain-status">
            {chain ? chain.message : 'Checking the chain…'}
          </p>
          <div class="grid">
            {field('chainId', 'Chain id', 'A number, e.g. 31337 for the local chain')}
            {field('rpcUrl', 'Chain RPC URL')}
          </div>
          {field('consent', 'Consent contract address')}
          {field('anchor', 'Anchor contract address')}
          {field('directory', 'Directory contract address')}
          <div class="grid">
            {field('messagingUrl', 'Messaging node URL')}
            {field('relayerUrl', 'Relayer URL', 'Sends your signed actions and pays their network fee, so you need no ETH. You can pay the fee yourself instead, but funding several of your accounts from one wallet links them for everyone to see.')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Security</legend>
          {field('autoLockMinutes', 'Lock automatically after (minutes idle)', 'From 1 to 1440 minutes')}
        </fieldset>
        {message && <p class={`sm-alert ${message.tone === 'info' ? 'info' : ''}`} role={message.tone === 'error' ? 'alert' : 'status'}>{message.text}</p>}
        {needsConfirm ? (
          <div class="sm-alert warn sm-stack" role="alertdialog" aria-labelledby="confirm-network">
            <strong id="confirm-network">Switch SecureMed to this network?</strong>
            <span>Your grants and anchors live on the chain you choose. Only switch if you trust these addresses.</span>
            <div class="sm-actions">
              <button type="button" class="sm-button" onClick={() => setNeedsConfirm(false)}>Cancel</button>
              <button type="button" class="sm-button primary" onClick={() => save(true)}>Yes, switch network</button>
            </div>
          </div>
        ) : (
          <div class="sm-actions"><button type="submit" class="sm-button primary">Save settings</button></div>
        )}
      </form>
      <SupportLog />
      <EraseVault />
    </main>
  );
}
