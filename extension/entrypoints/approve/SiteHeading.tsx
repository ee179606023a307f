/** The requesting site, registrable domain emphasised, the full origin beside it (from the browser). */
export function SiteHeading({ origin }: { origin: string }) {
  let host = origin;
  let scheme = '';
  try {
    const url = new URL(origin);
    host = url.host;
    scheme = `${url.protocol}//`;
  } catch {
    /* shown as is */
  }
  const labels = host.split('.');
  const isName = labels.length > 1 && !/^[\d.:]+$/.test(host) && !host.startsWith('[');
  const domain = isName ? labels.slice(-2).join('.') : host;
  const sub = isName ? labels.slice(0, -2).join('.') : '';
  return (
    <p class="sm-origin" data-testid="origin" aria-label={`Site ${origin}`}>
      <span class="sm-muted">{scheme}{sub ? `${sub}.` : ''}</span>
      <strong>{domain}</strong>
    </p>
  );
}
