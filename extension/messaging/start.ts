/** Start messaging's background services (called once per worker start from background.ts). */
export function startMessaging(): void {}
