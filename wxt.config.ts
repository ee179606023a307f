import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The extension lives in extension/ (WXT srcDir). Auto-imports are off on purpose: every file names
// what it uses, so the dependency graph (and the trust boundaries) stay visible in the code.
export default defineConfig({
  srcDir: 'extension',
  // SECUREMED_OUT_DIR lets parallel builds (e.g. two developers' e2e runs) use separate folders.
  outDir: process.env.SECUREMED_OUT_DIR ?? '.output',
  imports: false,
  webExt: { disabled: true },
  vite: () => ({ plugins: [preact()], build: { chunkSizeWarningLimit: 2000 } }),
  manifest: {
    name: 'SecureMed',
    description: 'Your encrypted health-record vault and consent manager.',
    permissions: ['storage', 'alarms', 'notifications', 'unlimitedStorage'],
    content_security_policy: {
      // wasm-unsafe-eval: the XMTP client compiles a WASM module in the background (see TOOLCHAIN.md).
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
      // The record viewer (entrypoints/sandbox/): opaque origin, no extension APIs, no inline script,
      // nothing loaded from the network; documents only as blob:/data: URLs (DESIGN.md, "Trust boundaries").
      sandbox:
        "sandbox allow-scripts allow-downloads; default-src 'none'; script-src 'self'; style-src 'self'; img-src blob: data:; frame-src blob:; object-src blob:",
    },
  },
});
