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
    // A fixed public key gives the extension a fixed id (shared/settings/extension-id.ts), so its origin
    // chrome-extension://<id> is known to the local relay, which refuses every other origin.
    key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAj6m1FMcvSdlbBKlXsDqkM8/sbCoc/IS+X2ao5WB3SEgD49LPtj7R2+6uYI5f8LF+LiQhgVwrYLrN4/MS9i8dqZV81gFrpalbGYCYGauds8LQPoRajZuVBlo4YJpAxmcY3bfLo4g8iGuBRqvCYLeMlcEjCPatAToV756AC1k2GCcXgYHLdw5+RBofGSNY1WOLBymGtMOf22qlWR3S4k8YbGLvSqAD5ZYpjnZGsEFbLPK9m2iDqLOQMDe4TKUqC2bhWnc4KBivi/xaZ9h69ps7IMroYhVUR/zdCLsOj4vz3KHPfMmq2Ahp+7MgPa/ZPJ6Lca3aEeQJeHWgJuW4YCXpMQIDAQAB',
    name: 'SecureMed',
    description: 'Your encrypted health-record vault and consent manager.',
    permissions: ['storage', 'alarms', 'notifications', 'unlimitedStorage'],
    content_security_policy: {
      // wasm-unsafe-eval: the XMTP client compiles a WASM module in the background (docs/architecture.md, "XMTP in the service worker").
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
      // The record viewer (entrypoints/sandbox/): opaque origin, no extension APIs, no inline script,
      // nothing loaded from the network, no frames or plugins, no form posts, no <base> rewrites; images
      // only as blob:/data: URLs made inside it (docs/architecture.md, "Trust boundaries").
      sandbox:
        "sandbox allow-scripts allow-downloads; default-src 'none'; script-src 'self'; style-src 'self'; img-src blob: data:; frame-src 'none'; object-src 'none'; form-action 'none'; base-uri 'none'",
    },
  },
});
