import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { watchApprovalWindows } from '../approvals/approvals';
import { broadcastToPages, listenForPages, sendToOrigin } from '../background/page-port';
import { setPageEventSink } from '../consent/events';
import { startConsentSync } from '../consent/sync';
import { startExpiryReminders } from '../consent/expiry-reminder';
import { listenForUi } from '../background/ui-messages';
import { onAutoLock } from '../keys/auto-lock';
import { forgetOnBrowserStart } from '../keys/unlocked';
import { lock, onLock } from '../keys/vault';
import { startMessaging } from '../messaging/start';
import { startRecords } from '../records/start';
import { startReplicas } from '../replicas/start';
import { startTxQueue } from '../tx-queue/start';
import { startAnchoring } from '../anchoring/start';
import { startAudit } from '../audit/start';
import { VAULT_LOCKED } from '../../shared/protocol/ui-events';

// Thin on purpose: start services, route messages. Listeners are registered synchronously at the top
// level of main() so a worker woken by an event receives it.
export default defineBackground(() => {
  // storage.local (the encrypted seed blob, settings) is open to content scripts by default, and they run
  // in every web page's renderer: restrict it to the extension's own pages and this worker.
  void browser.storage.local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
  listenForPages();
  listenForUi();
  watchApprovalWindows();
  onAutoLock(async () => void (await lock()));
  browser.runtime.onStartup.addListener(() => void forgetOnBrowserStart());
  onLock(() => void broadcastToPages('lock'));
  setPageEventSink(sendToOrigin);
  // Grants and revokes go through the transaction queue; permission rows follow their actions.
  startConsentSync();
  // A notification a few days before a grant ends (daily and at unlock); a click opens Sharing.
  startExpiryReminders();
  // Every open extension page drops what it shows (records, messages, the viewer).
  onLock(() => void browser.runtime.sendMessage({ type: VAULT_LOCKED }).catch(() => undefined));
  startRecords();
  startReplicas();
  startMessaging();
  startTxQueue();
  startAnchoring();
  startAudit();
});
