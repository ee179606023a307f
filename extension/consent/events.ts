import type { PageEvent } from '../../shared/protocol/channel';
import type { PagePermission } from '../../shared/protocol/page';

/**
 * Events for pages, sent only to the origin they concern. The background wires the sink to the page
 * ports (background/page-port.ts) at start; until then events are dropped (no page is listening).
 */
type Sink = (origin: string, event: PageEvent, data?: unknown) => void;
let sink: Sink = () => undefined;

export function setPageEventSink(next: Sink): void {
  sink = next;
}

export function sendToOrigin(origin: string, event: PageEvent, data?: unknown): void {
  sink(origin, event, data);
}

export function permissionsChanged(origin: string, permissions: PagePermission[]): void {
  sendToOrigin(origin, 'permissionsChanged', { permissions });
}
