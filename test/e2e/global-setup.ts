import { execSync } from 'node:child_process';
import { chromiumPath } from './harness/chromium';

/**
 * Build the extension once per e2e run, so the tests always drive the code in this checkout.
 * SECUREMED_SKIP_BUILD=1 reuses .output/ (handy while iterating on a test).
 */
export default function setup(): void {
  chromiumPath(); // fail early with a clear message
  if (process.env.SECUREMED_SKIP_BUILD === '1') return;
  execSync('npx wxt build', { stdio: 'inherit' });
}
