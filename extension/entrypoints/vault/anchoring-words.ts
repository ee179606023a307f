import type { RecordVerdict } from '../../../shared/protocol/ui/anchoring';

/** Unix seconds (block time) → a date and time in the patient's locale. */
export function blockDate(seconds?: number): string {
  if (seconds === undefined) return 'an unknown date';
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * What a Verify verdict proves, in plain words. "Anchored by your vault" — never "written by": the
 * anchor dates bytes; who authored a record is a separate signature.
 */
export function verdictWords(v: RecordVerdict): { tone: 'ok' | 'bad' | 'info'; text: string } {
  switch (v.state) {
    case 'unchanged':
      return { tone: 'ok', text: `Unchanged since ${blockDate(v.blockTime)}, anchored by your vault in block ${v.blockNumber}.` };
    case 'changed':
      return {
        tone: 'bad',
        text: `Changed after it was anchored. This record's stored data is not what your vault anchored${v.blockTime ? ` on ${blockDate(v.blockTime)}` : ''}${v.blockNumber ? ` (block ${v.blockNumber})` : ''}. If it still opens, it was re-sealed with your vault's keys (for example by malware while the vault was unlocked): do not rely on its content, and restore it from a backup made before the change.`,
      };
    case 'rolled_back':
      return {
        tone: 'bad',
        text: `Changed after it was anchored: this is an older version (${v.version}) of the record. Your vault anchored version ${v.anchoredVersion}${v.blockTime ? ` on ${blockDate(v.blockTime)}` : ''}${v.blockNumber ? ` in block ${v.blockNumber}` : ''}. An old backup or an out-of-date copy brought it back.`,
      };
    case 'not_on_chain':
      return {
        tone: 'bad',
        text: `Not confirmed by the chain: your vault remembers anchoring this record${v.blockTime ? ` on ${blockDate(v.blockTime)}` : ''}, but the chain in your settings does not have that anchor (another network, or the vault's anchoring data was changed).`,
      };
    case 'waiting':
      return { tone: 'info', text: 'Not anchored yet: it is in the batch on its way to the chain.' };
    case 'not_anchored':
      return { tone: 'info', text: 'Not anchored yet: it goes into the next batch.' };
    case 'changed_before_anchor':
      return { tone: 'bad', text: 'Damaged: its stored data no longer matches the fingerprint taken when it was saved.' };
  }
}
