/**
 * A minimal web page for e2e tests: its first inline script records whether window.securemed already
 * exists (it must: the provider runs at document_start) and collects discovery announcements.
 */
export const DEMO_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test portal</title>
<script>
  window.__seenAtFirstScript = typeof window.securemed;
  window.__announced = [];
  window.addEventListener('securemed:announceProvider', (e) => window.__announced.push(e.detail.info.name));
  window.dispatchEvent(new Event('securemed:requestProvider'));
  window.call = (method, params) => window.securemed.request({ method, params })
    .then((result) => ({ result }), (error) => ({ error: { code: error.code, message: error.message } }));
</script></head>
<body><h1>Test portal</h1></body></html>`;
