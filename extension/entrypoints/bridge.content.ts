import { defineContentScript } from 'wxt/utils/define-content-script';
import { startBridge } from '../provider/bridge';

// Isolated world: relays page <-> background and adds nothing. See provider/bridge.ts.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  main() {
    startBridge();
  },
});
