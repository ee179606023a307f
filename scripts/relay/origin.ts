// Who may call: the server itself checks `Origin`, before reading a byte of the body.
// CORS alone is not access control: a web page's "simple" POST (text/plain) reaches the server and is
// processed even though the page cannot read the answer. So:
// - Origin on the allow-list (the extension's fixed origin by default) → served, with CORS headers
//   naming exactly that origin (never `*`);
// - no Origin header → served: browsers always send Origin on cross-origin fetches and on every POST,
//   so a request without one comes from a program (node xmtp-js in tests, curl), not from a web page.
//   Origin is a browser's statement about which page is asking; it stops pages, not programs;
// - any other Origin, including `null` (sandboxed frames, file://) → 403, preflights included.
// No `Access-Control-Allow-Private-Network`: Chrome asks for it only when a *web page* reaches a local
// address, and no web page is allowed here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Grpc, HttpError } from './http';

const ALLOWED_HEADERS = 'content-type, authorization, x-client-version, x-app-version';

/** Throws 403 for a refused origin; otherwise sets the CORS headers the allowed origin needs. */
export function checkOrigin(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('Vary', 'Origin');
  if (!allowed.has(origin)) throw new HttpError(403, Grpc.PERMISSION_DENIED, `origin ${JSON.stringify(origin).slice(0, 200)} is not allowed`);
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
  }
}
