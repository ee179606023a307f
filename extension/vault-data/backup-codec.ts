import { z } from 'zod';
import { fromBase64, toBase64 } from '../../shared/crypto/bytes';
import type { BackupData } from './kind';

/** A stored row → a backup file row's fields: bytes become base64, scalars stay, anything else is refused. */
export function toBackupData(row: object): BackupData {
  const out: BackupData = {};
  for (const [field, value] of Object.entries(row)) {
    if (value instanceof Uint8Array) out[field] = toBase64(value);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[field] = value as string | number | boolean | null;
    else if (value !== undefined) throw new TypeError(`field ${field} is not a scalar or bytes: give the kind its own backup save`);
  }
  return out;
}

/** A base64 field of a backup row, at most `maxBytes` once decoded, parsed into bytes. */
export const BackupBytes = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .transform((s, ctx) => {
      try {
        return fromBase64(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not base64' });
        return z.NEVER;
      }
    });
