import { DIRECT_CALL_OF, GAS_BUDGETS, gasMetrics } from './gas';
import type { Metric } from './metrics';

/**
 * Gas figures as table rows. The naive baseline (a contract that stores each record's fields as
 * strings, as naive healthcare contracts do) is measured in the same run; anchoring a batch of 1024
 * records is shown beside storing those 1024 records the naive way.
 */
export async function gasMetricRows(): Promise<Metric[]> {
  const m = await gasMetrics();
  const naive = m['gas.baseline.addRecord'];
  const rows: Metric[] = [];
  for (const [name, value] of Object.entries(m)) {
    if (name.startsWith('gas.baseline.')) continue;
    const budget = GAS_BUDGETS[name];
    const row: Metric = { name, value, unit: 'gas' };
    if (budget !== undefined) Object.assign(row, { goal: `≤ ${budget.toLocaleString('en-US')}`, ok: value <= budget });
    if (name === 'gas.anchor.1') row.baseline = { name: 'gas.baseline.addRecord', value: naive };
    if (name === 'gas.anchor.1024') row.baseline = { name: 'gas.baseline.addRecord_x1024', value: naive * 1024 };
    // A signed variant beside its direct call (the difference is what signing and relaying cost).
    if (DIRECT_CALL_OF[name]) row.baseline = { name: DIRECT_CALL_OF[name], value: m[DIRECT_CALL_OF[name]] };
    rows.push(row);
  }
  rows.push({ name: 'gas.baseline.ratio_per_record_1024', value: m['gas.baseline.ratio_per_record_1024'], unit: '× (naive ÷ ours)' });
  return rows;
}
