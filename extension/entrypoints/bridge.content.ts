import { defineContentScript } from 'wxt/utils/define-content-script';
import { startBridge } from '../bridge/bridge';

// Isolated world: relays page <-> background and adds nothing. See bridge/README.md.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  main() {
    startBridge(window);
  },
});
