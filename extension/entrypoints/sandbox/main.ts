import './viewer.css';
import { renderSafeXhtml } from './sanitize';

/**
 * The sandboxed viewer (manifest `sandbox.pages`): an opaque origin with no extension APIs and a CSP
 * without inline script. The vault page frames it and posts what to show; untrusted markup and files
 * (FHIR narrative XHTML, PDFs, images) are rendered only here, never in a trusted extension page.
 */
type Show =
  | { kind: 'narrative'; title: string; xhtml: string }
  | { kind: 'attachment'; title: string; contentType: string; data: string };

const IMAGE = /^image\/(png|jpeg|gif|webp)$/;
const view = document.getElementById('view')!;
let objectUrl: string | undefined;

function heading(text: string): HTMLElement {
  const h = document.createElement('h1');
  h.textContent = text;
  return h;
}

function blobOf(base64: string, type: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

function show(msg: Show): void {
  if (objectUrl) URL.revokeObjectURL(objectUrl);
  objectUrl = undefined;
  view.replaceChildren(heading(msg.title));
  if (msg.kind === 'narrative') {
    const body = document.createElement('div');
    body.className = 'narrative';
    body.append(renderSafeXhtml(msg.xhtml));
    view.append(body);
    return;
  }
  if (IMAGE.test(msg.contentType)) {
    objectUrl = URL.createObjectURL(blobOf(msg.data, msg.contentType));
    const img = document.createElement('img');
    img.src = objectUrl;
    img.alt = msg.title;
    view.append(img);
  } else if (msg.contentType === 'application/pdf') {
    // Chromium never runs its PDF viewer inside a sandboxed page (an <iframe>/<embed>/<object> of the
    // PDF only shows "This page has been blocked"), and opening it in a trusted page would break the
    // boundary above. So the PDF is offered as a file to save and open in the person's PDF reader.
    // A PDF leaves SecureMed's protection once it opens in the system's reader (PDFs can carry scripts,
    // forms and links), so the patient is told that, and saves it with a second, deliberate click.
    const data = msg.data;
    const title = msg.title;
    const note = document.createElement('p');
    note.className = 'pdf-note';
    note.textContent = 'PDF documents can’t be previewed in this protected viewer. Save a copy to open it in your PDF reader.';
    const ask = document.createElement('button');
    ask.type = 'button';
    ask.textContent = 'Save a copy…';
    ask.addEventListener('click', () => {
      objectUrl ??= URL.createObjectURL(blobOf(data, 'application/pdf'));
      const warning = document.createElement('div');
      warning.className = 'pdf-warning';
      warning.setAttribute('role', 'alert');
      const text = document.createElement('p');
      text.textContent =
        'Before you open it: your PDF reader shows this file outside SecureMed’s protection, and a PDF can contain links, forms or scripts. Open it only if you trust where it came from.';
      const save = document.createElement('a');
      save.href = objectUrl;
      save.download = title.toLowerCase().endsWith('.pdf') ? title : `${title}.pdf`;
      save.textContent = 'Save a copy of this PDF';
      warning.append(text, save);
      ask.replaceWith(warning);
      save.focus();
    });
    view.append(note, ask);
  } else {
    const p = document.createElement('p');
    p.textContent = 'This kind of file cannot be shown here.';
    view.append(p);
  }
}

window.addEventListener('message', (event) => {
  // Only the page that framed us; everything else (including our own posts) is ignored.
  if (event.source !== window.parent || event.source === window) return;
  const msg = event.data as Show;
  if (!msg || typeof msg !== 'object' || typeof msg.title !== 'string') return;
  if (msg.kind === 'narrative' && typeof msg.xhtml === 'string') show(msg);
  else if (msg.kind === 'attachment' && typeof msg.data === 'string' && typeof msg.contentType === 'string') show(msg);
});

// Tell the parent we are ready to receive (it waits for this before posting).
window.parent.postMessage({ securemedViewer: 'ready' }, '*');
