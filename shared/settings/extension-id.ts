/**
 * The extension's fixed id. wxt.config.ts sets the manifest `key` (a public RSA key, base64 DER SPKI);
 * Chromium derives the id from it (SHA-256 of the key, first 32 hex digits mapped 0-f → a-p), so every
 * unpacked load on every machine gets this same id and `chrome-extension://<id>` is a known origin the
 * local relay can allow (scripts/relay/README.md). The private half was never kept: it is only needed to
 * sign a .crx for a store, and a store assigns its own key. Test: test/integration/relay-origin.test.ts.
 */
export const EXTENSION_ID = 'hikbjlnhknckkjpobjdoeogoekoafmdb';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
