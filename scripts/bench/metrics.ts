/**
 * A benchmark row: a measured figure, optionally beside a baseline measured in the same run and a goal.
 * `--json` prints every value (and every baseline) as one flat object of named metrics.
 */
export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run. */
  baseline?: { name: string; value: number };
  /** Human-readable target, e.g. "≤ 60". */
  goal?: string;
  /** Whether the figure meets the goal (undefined when there is none). */
  ok?: boolean;
}

export function within(value: number, max: number): boolean {
  return value <= max;
}

export function toJson(metrics: Metric[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) {
    out[m.name] = m.value;
    if (m.baseline) out[m.baseline.name] = m.baseline.value;
  }
  return out;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

/** A Markdown table: readable in a terminal and pasteable into the README as is. */
export function toTable(metrics: Metric[]): string {
  const rows = [
    ['metric', 'value', 'baseline (same run)', 'goal'],
    ...metrics.map((m) => [
      m.name,
      `${fmt(m.value)} ${m.unit}`,
      m.baseline ? `${fmt(m.baseline.value)} ${m.unit} (${m.baseline.name})` : '—',
      m.goal ? `${m.goal}${m.ok === undefined ? '' : m.ok ? ' ✓' : ' ✗'}` : '—',
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}
