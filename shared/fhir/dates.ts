// FHIR date / dateTime / instant parsing. FHIR allows partial dates ("2019", "2019-05") and requires a
// time zone when a time is given; real exports sometimes drop the seconds or the zone, so we accept
// those too (a patient should not lose a record over a missing ":00") but insist on a real calendar
// date: "2021-02-30" is refused because it would sort and display wrongly.

// year[-month[-day[Thh:mm[:ss[.fff]][zone]]]]
const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export interface ParsedDate {
  /** The original string: already ISO 8601, and keeps the precision the source recorded. */
  iso: string;
  /** Milliseconds since the epoch of the earliest instant the value can mean (UTC when no zone). */
  time: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseFhirDate(value: unknown): ParsedDate | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, hh, mm, ss, frac, zone] = m;
  const year = Number(y);
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hour = hh ? Number(hh) : 0;
  const minute = mm ? Number(mm) : 0;
  const second = ss ? Number(ss) : 0;
  if (hour > 23 || minute > 59 || second > 60) return undefined; // 60: leap second, as FHIR allows
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 14 || zm > 59) return undefined;
    offsetMin = sign * (zh * 60 + zm);
  }
  const ms = frac ? Math.floor(Number(frac) * 1000) : 0;
  const time = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offsetMin * 60_000;
  return { iso: value, time };
}

