// Parser for the RFC 9180 Appendix A test-vector text (test/fixtures/crypto/hpke-rfc9180-A1-base.txt).
// Format: blocks between ~~~ fences; "name: value" lines, long hex values wrap onto following lines,
// and a value may start on the line after "name:".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Fields = Record<string, string>;

export interface Rfc9180Vectors {
  setup: Fields;
  encryptions: Fields[];
  exports: Fields[];
}

function parseBlock(lines: string[]): Fields[] {
  const records: Fields[] = [];
  let current: Fields | undefined;
  let lastKey: string | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([a-z_ ]+):\s*(.*)$/i.exec(line);
    if (m) {
      const key = m[1]!.trim();
      // A repeated key starts a new record (each encryption / export is a group of fields).
      if (!current || key in current) {
        current = {};
        records.push(current);
      }
      current[key] = m[2]!;
      lastKey = key;
    } else if (/^[0-9a-f]+$/i.test(line) && current && lastKey) {
      current[lastKey] += line;
    } else {
      throw new Error(`unparsed vector line: ${raw}`);
    }
  }
  return records;
}

export function loadRfc9180A1(): Rfc9180Vectors {
  const path = fileURLToPath(new URL('../../fixtures/crypto/hpke-rfc9180-A1-base.txt', import.meta.url));
  const text = readFileSync(path, 'utf8');
  const blocks: string[][] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '~~~') {
      if (!inBlock) blocks.push([]);
      inBlock = !inBlock;
    } else if (inBlock) {
      blocks[blocks.length - 1]!.push(line);
    }
  }
  if (blocks.length !== 3) throw new Error(`expected 3 vector blocks, found ${blocks.length}`);
  const [setup] = parseBlock(blocks[0]!);
  return { setup: setup!, encryptions: parseBlock(blocks[1]!), exports: parseBlock(blocks[2]!) };
}
