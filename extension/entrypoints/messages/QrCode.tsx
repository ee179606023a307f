import { encodeQR } from '@paulmillr/qr';
import { useMemo } from 'preact/hooks';

/**
 * A QR code drawn as SVG from @paulmillr/qr's module matrix: one path, no innerHTML, nothing fetched.
 * A 4-module quiet zone (what scanners expect) and medium error correction (a phone camera at a desk).
 */
export function QrCode({ text, label, size = 224 }: { text: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const grid = encodeQR(text, 'raw', { ecc: 'medium', border: 4 });
    let d = '';
    for (const [y, row] of grid.entries()) for (const [x, dark] of row.entries()) if (dark) d += `M${x} ${y}h1v1h-1z`;
    return { path: d, modules: grid.length };
  }, [text]);
  return (
    <svg class="qr-code" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${modules} ${modules}`} shape-rendering="crispEdges" data-testid="invite-qr">
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
