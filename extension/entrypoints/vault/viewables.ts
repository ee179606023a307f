/** What in a resource opens in the sandboxed viewer: its narrative XHTML and inline attachments. */
export interface Viewable {
  label: string;
  message: { kind: 'narrative'; title: string; xhtml: string } | { kind: 'attachment'; title: string; contentType: string; data: string };
}

const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function viewablesOf(record: unknown, title: string): Viewable[] {
  const out: Viewable[] = [];
  const resource = obj(record) ?? {};
  const div = obj(resource.text)?.div;
  if (typeof div === 'string' && div.trim()) out.push({ label: 'View narrative', message: { kind: 'narrative', title, xhtml: div } });
  const attachments = [
    ...list(resource.content).map((c) => obj(c)?.attachment),
    ...list(resource.presentedForm),
    ...(resource.resourceType === 'Binary' ? [resource] : []),
  ];
  attachments.forEach((a, i) => {
    const att = obj(a);
    if (!att || typeof att.data !== 'string' || typeof att.contentType !== 'string') return;
    const name = typeof att.title === 'string' && att.title ? att.title : `${title} (${i + 1})`;
    out.push({
      label: attachments.length > 1 ? `Open attachment: ${name}` : 'Open attachment',
      message: { kind: 'attachment', title: name, contentType: att.contentType, data: att.data.replace(/\s+/g, '') },
    });
  });
  return out;
}
