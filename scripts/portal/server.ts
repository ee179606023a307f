import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Wallet } from 'ethers';
import { BINDING_PATH, signBinding } from '../../shared/chain/binding';
import { DEMO_EHR_GRANTEE_KEY, DEMO_GRANTEE_KEY } from './grantee';

export interface Portal {
  url: string;
  /** The grantee this portal's binding file names. */
  grantee: string;
  close(): Promise<void>;
}

/** The two demo sites: the patient portal (Riverside Health) and a doctor's EHR (Northside Clinic). */
export type DemoSite = 'portal' | 'ehr';
const SITES: Record<DemoSite, { dir: string; granteeKey: string }> = {
  portal: { dir: __dirname, granteeKey: DEMO_GRANTEE_KEY },
  ehr: { dir: join(__dirname, 'ehr'), granteeKey: DEMO_EHR_GRANTEE_KEY },
};

export interface PortalOptions {
  /** Which demo site (default the patient portal). */
  site?: DemoSite;
  /** The grantee key that signs the binding (default: that site's demo grantee). */
  granteeKey?: string;
  /** Tests: the origins the binding lists (default: this portal's own origin). */
  bindingOrigins?: (ownOrigin: string) => string[];
  /** Tests: sign the binding with this key while naming the grantee key's address. */
  bindingSignerKey?: string;
}

/**
 * Serve a demo site (the patient portal, or with `site: 'ehr'` the doctor's EHR) on 127.0.0.1. The page script is bundled from app.ts when the server starts;
 * the binding file /.well-known/securemed.json is signed once, at start, by the grantee key (as a real
 * portal would do offline) and served as a static file with CORS so the extension can fetch it.
 */
export async function startPortal(port = 0, opts: PortalOptions = {}): Promise<Portal> {
  const site = SITES[opts.site ?? 'portal'];
  const bundle = await build({
    entryPoints: [join(site.dir, 'app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
  });
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    '/': { type: 'text/html; charset=utf-8', body: readFileSync(join(site.dir, 'index.html'), 'utf8') },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0].contents },
    '/demo.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(__dirname, 'demo.css'), 'utf8') },
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const granteeKey = opts.granteeKey ?? site.granteeKey;
  const grantee = new Wallet(granteeKey).address;
  const expiresAt = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const binding = await signBinding(opts.bindingSignerKey ?? granteeKey, opts.bindingOrigins?.(url) ?? [url], expiresAt, grantee);
  files[BINDING_PATH] = { type: 'application/json', body: JSON.stringify(binding, null, 2) };
  return {
    url,
    grantee,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
