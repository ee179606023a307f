/** Record counts and recent items in the popup (owned by the record vault). */
export function RecordsSummary() {
  return null;
}
