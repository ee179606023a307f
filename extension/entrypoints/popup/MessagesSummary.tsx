/** Unread messages and message requests in the popup (owned by messaging). */
export function MessagesSummary() {
  return null;
}
