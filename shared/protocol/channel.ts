/**
 * The window.postMessage channel name shared by the MAIN-world provider and the bridge.
 * Kept in its own file (no schema library) so the provider injected into every page stays tiny.
 */
export const PAGE_CHANNEL = 'securemed';
