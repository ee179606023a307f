import { defineContentScript } from 'wxt/utils/define-content-script';
import { announce, createProvider } from '../page-world/provider';

// MAIN world, document_start: window.securemed exists before the page's first script runs.
// See page-world/README.md.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  world: 'MAIN',
  runAt: 'document_start',
  globalName: false,
  main() {
    const provider = createProvider(window);
    Object.defineProperty(window, 'securemed', { value: provider, writable: false, configurable: false });
    announce(window, provider);
  },
});
