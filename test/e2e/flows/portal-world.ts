import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { attestGrantee, DEMO_EHR_GRANTEE } from '../../../scripts/portal/grantee';
import { startPortal, type Portal } from '../../../scripts/portal/server';
import { ExtensionSession } from '../harness/extension';
import { createVault } from './vault';
import { pointExtensionAt, startConsentStack, type ConsentStack } from './consent';

/**
 * What the portal e2e tests run against: a patient's browser with the built extension, the consent
 * stack (local chain + relayer), and both demo sites — the patient portal and the doctor's EHR — each
 * on its own origin with its own grantee. The portal's grantee is attested by the stack; the EHR's only
 * when asked, so a test can show the "unverified provider" warning.
 */
export interface PortalWorld {
  patient: ExtensionSession;
  stack: ConsentStack;
  portal: Portal;
  ehr: Portal;
  close(): Promise<void>;
}

export async function startPortalWorld(opts: { attestEhr?: boolean } = {}): Promise<PortalWorld> {
  const [patient, stack, portal, ehr] = await Promise.all([ExtensionSession.launch(), startConsentStack(), startPortal(0), startPortal(0, { site: 'ehr' })]);
  if (opts.attestEhr) await attestGrantee(stack.chain.chain.url, stack.chain.deployment, DEMO_EHR_GRANTEE);
  return {
    patient, stack, portal, ehr,
    async close() {
      await patient.close();
      await portal.close();
      await ehr.close();
      await stack.close();
    },
  };
}

/** A new vault, pointed at the world's chain and relayer. */
export async function newVaultOnStack(world: PortalWorld): Promise<void> {
  const { popup } = await createVault(world.patient);
  await popup.close();
  await pointExtensionAt(world.patient, world.stack);
}

/**
 * A new vault pointed at the world's chain and relayer, holding these resources — imported through the
 * background's import procedure, as a file import does; every one must be imported.
 */
export async function vaultWithRecords(world: PortalWorld, resources: Array<Record<string, unknown>>, source: string): Promise<void> {
  await newVaultOnStack(world);
  const importId = randomUUID();
  const items = resources.map((resource) => ({ kind: 'resource', source, resource }));
  const imported = await world.patient.askBackground<{ outcomes: Array<{ status: string }> }>({ type: 'records.import.chunk', importId, seq: 0, items });
  expect(imported.ok, JSON.stringify(imported)).toBe(true);
  expect(imported.result!.outcomes.every((o) => o.status === 'imported'), JSON.stringify(imported.result)).toBe(true);
  expect((await world.patient.askBackground({ type: 'records.import.finish', importId })).ok).toBe(true);
}
