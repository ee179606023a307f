/** Start the record vault's background services (called once per worker start from background.ts). */
export function startRecords(): void {}
