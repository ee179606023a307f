import { Buffer } from 'buffer';

/**
 * xmtp-js (and its protobuf dependency) expect a browser page: `window` and Node's `Buffer`. An MV3
 * service worker has neither, and without them the worker dies while loading (docs/architecture.md, "XMTP in the service worker").
 * This module must be evaluated before xmtp-js: xmtp-identity.ts imports it first.
 */
const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
g.Buffer ??= Buffer;
