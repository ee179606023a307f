import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ProviderErrorCode } from '../../../shared/protocol/errors';
import { ErrorCodes, SecureMedClient, SecureMedError, type Eip1193Like } from '../../../shared/sdk/portal-sdk';

/**
 * "One table, not two": the EIP-1193 codes SecureMed answers pages with are defined once, in
 * shared/protocol/errors.ts. The portal SDK hands portals that same table, and no code that runs in
 * the extension, the SDK or the demo portal spells a code as a bare number.
 */
const ROOT = resolve(__dirname, '../../..');
const CODES = new Set<number>(Object.values(ProviderErrorCode));
const TABLE = join(ROOT, 'shared/protocol/errors.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Numeric literals (with their minus sign) equal to a code; comments do not count. */
function codeLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNumericLiteral(node)) {
      const negated = ts.isPrefixUnaryExpression(node.parent) && node.parent.operator === ts.SyntaxKind.MinusToken;
      const value = (negated ? -1 : 1) * Number(node.text);
      if (CODES.has(value)) found.push(`${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} (${value})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('EIP-1193 error codes: one table', () => {
  it("the portal SDK's ErrorCodes is the protocol's table itself", () => {
    expect(ErrorCodes).toBe(ProviderErrorCode);
  });

  it('no code outside the table spells an error code as a number', { timeout: 60_000 }, () => {
    const files = ['extension', 'shared', 'scripts/portal'].flatMap((dir) => sourceFiles(join(ROOT, dir))).filter((file) => file !== TABLE);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(codeLiterals)).toEqual([]);
    // The scan does find codes where they are defined.
    expect(codeLiterals(TABLE)).toHaveLength(CODES.size);
  });

  it('the SDK keeps the code a provider rejects with, and reports anything else as internal', async () => {
    const rejecting = (error: unknown): Eip1193Like => ({ request: () => Promise.reject(error), on: () => undefined, removeListener: () => undefined });
    const info = { uuid: 'u', name: 'SecureMed', icon: '', rdns: 'org.securemed' };
    const declined = new SecureMedClient(rejecting({ code: ErrorCodes.userRejected, message: 'declined' }), info).connect();
    await expect(declined).rejects.toBeInstanceOf(SecureMedError);
    await expect(declined).rejects.toMatchObject({ code: ProviderErrorCode.userRejected, message: 'declined' });
    await expect(new SecureMedClient(rejecting(new Error('boom')), info).status()).rejects.toMatchObject({ code: ProviderErrorCode.internal });
  });
});
