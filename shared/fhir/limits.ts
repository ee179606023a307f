// Size limits for imported health data, in one place so they are easy to audit and to show in the UI.
// They protect the service worker (memory, time) and the encrypted store, not the patient's data:
// every message that trips one says which limit and how big the input was.

const MiB = 1024 * 1024;

export interface ImportLimits {
  /** One FHIR resource, serialized (UTF-8 bytes). Clinical resources are a few KB; 1 MiB is generous. */
  maxResourceBytes: number;
  /** One PDF or image the patient uploads (raw bytes, before base64). */
  maxDocumentBytes: number;
  /**
   * A DocumentReference or Binary with inline data: the document limit after base64 (4/3) plus room
   * for the surrounding JSON, so a document accepted by wrapDocument is accepted again on re-import.
   */
  maxDocumentResourceBytes: number;
  /** One input file (JSON text or document bytes). */
  maxFileBytes: number;
  /** Entries in one Bundle; beyond this a single import would take minutes and is probably a mistake. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxResourceBytes: 1 * MiB,
  maxDocumentBytes: 20 * MiB,
  maxDocumentResourceBytes: Math.ceil((20 * MiB * 4) / 3) + 1 * MiB,
  maxFileBytes: 50 * MiB,
  maxEntries: 100_000,
});

export function resolveLimits(partial?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** UTF-8 length of a string without allocating the encoded bytes (JSON text can be tens of MiB). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** "1.4 MB", "820 KB": sizes in patient-facing messages (binary units, familiar labels). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MiB) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / MiB;
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, '') : Math.round(mb)} MB`;
}
