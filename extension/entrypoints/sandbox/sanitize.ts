/**
 * FHIR narrative is restricted XHTML (FHIR R4 §2.4 "Narrative": no script, no forms, no event handlers,
 * no external references). We rebuild it from an allow-list instead of trusting the import: parsed in
 * an inert document, then only allowed elements and attributes are copied into ours. Links become text
 * (a narrative cannot navigate anywhere); images only when they are data: URLs of raster types.
 */
const ELEMENTS = new Set([
  'div', 'p', 'span', 'br', 'hr', 'b', 'strong', 'i', 'em', 'u', 'small', 'sub', 'sup', 'code', 'pre',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody',
  'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col', 'blockquote', 'img', 'a',
]);
const ATTRIBUTES = new Set(['colspan', 'rowspan', 'alt', 'title', 'lang', 'dir']);
const RASTER_DATA = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;

function copy(node: Node, out: Node): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      out.appendChild(document.createTextNode(child.textContent ?? ''));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    const el = child as Element;
    const name = el.localName.toLowerCase();
    if (!ELEMENTS.has(name)) {
      if (name !== 'script' && name !== 'style') copy(el, out); // keep the text of unknown wrappers
      continue;
    }
    if (name === 'a') {
      const span = document.createElement('span');
      copy(el, span);
      out.appendChild(span);
      continue;
    }
    const clean = document.createElement(name);
    for (const attr of Array.from(el.attributes)) {
      if (ATTRIBUTES.has(attr.localName)) clean.setAttribute(attr.localName, attr.value);
    }
    if (name === 'img') {
      const src = el.getAttribute('src') ?? '';
      if (!RASTER_DATA.test(src)) continue;
      clean.setAttribute('src', src);
    }
    copy(el, clean);
    out.appendChild(clean);
  }
}

export function renderSafeXhtml(xhtml: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  // text/html parsing is forgiving (real narratives are not always well-formed XML) and inert: a
  // DOMParser document runs no script and loads nothing.
  const parsed = new DOMParser().parseFromString(xhtml, 'text/html');
  copy(parsed.body, fragment);
  return fragment;
}
