import { useEffect, useRef } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Viewable } from './viewables';

/**
 * A dialog framing the sandboxed viewer page (manifest `sandbox`: opaque origin, no extension APIs, no
 * inline script). The content goes in by postMessage once the viewer says it is ready; untrusted markup
 * is never put into this trusted page's DOM.
 */
export function Viewer({ item, onClose }: { item: Viewable; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
    const onMessage = (e: MessageEvent) => {
      if (e.source !== frame.current?.contentWindow || (e.data as { securemedViewer?: string })?.securemedViewer !== 'ready') return;
      // The sandbox's origin is opaque ('null'), so '*' is the only target that reaches it; the
      // recipient is pinned by using this frame's own window.
      frame.current!.contentWindow!.postMessage(item.message, '*');
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [item]);

  return (
    <dialog ref={dialog} class="viewer" aria-label={item.message.title} onClose={onClose}>
      <div class="sm-row viewer-bar">
        <strong class="sm-grow">{item.message.title}</strong>
        <button class="sm-button" onClick={() => dialog.current?.close()}>Close</button>
      </div>
      <iframe ref={frame} title={`Viewer: ${item.message.title}`} src={browser.runtime.getURL('/sandbox.html' as never)} data-testid="viewer-frame" />
    </dialog>
  );
}
