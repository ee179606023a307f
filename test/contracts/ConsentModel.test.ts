// Stateful property test: random sequences of grant / revoke / time travel / break-glass (and signed
// grants) across several patients and grantees; after every step hasAccess equals a simple model.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { compactSignature, consentDomain, grantTypedData } from '../../shared/chain/eip712';
import { Scope, STANDARD_SCOPES, SENSITIVE_SCOPES, scopeMask } from '../../shared/chain/scopes';
import { deployStack, ethers, mined, now, randomHash, revertTo, setNextTimestamp, snapshot, type Signer } from './helpers';

type Stack = Awaited<ReturnType<typeof deployStack>>;
let s: Stack;
let patients: Signer[];
let grantees: Signer[];
const BREAK_GLASS = 4n * 3600n;

interface Entry { scopes: number; expiresAt: bigint; emergencyUntil: bigint }
type Model = Map<string, Entry>;
const key = (p: number, g: number) => `${p}:${g}`;

/** The model's answer: union of live grant scopes and, during break-glass, the standard categories. */
function modelScopes(model: Model, p: number, g: number, t: bigint): number {
  const e = model.get(key(p, g));
  if (!e) return 0;
  return scopeMask(e.expiresAt > t ? e.scopes : 0, e.emergencyUntil > t ? STANDARD_SCOPES : 0);
}

const scopeArb = fc.constantFrom(
  Scope.LABS, Scope.VITALS, scopeMask(Scope.LABS, Scope.MEDICATIONS), Scope.MENTAL_HEALTH,
  scopeMask(STANDARD_SCOPES, Scope.WRITE), scopeMask(Scope.SUBSTANCE_USE, Scope.ALLERGIES), SENSITIVE_SCOPES, Scope.WRITE,
);
const commandArb = fc.oneof(
  fc.record({ kind: fc.constant('grant' as const), p: fc.nat(2), g: fc.nat(3), scopes: scopeArb, ttl: fc.integer({ min: 1, max: 5 * 3600 }), bySig: fc.boolean() }),
  fc.record({ kind: fc.constant('revoke' as const), p: fc.nat(2), g: fc.nat(3) }),
  fc.record({ kind: fc.constant('travel' as const), seconds: fc.integer({ min: 1, max: 6 * 3600 }) }),
  fc.record({ kind: fc.constant('breakGlass' as const), p: fc.nat(2), g: fc.nat(3) }),
);

beforeAll(async () => {
  s = await deployStack();
  patients = s.signers.slice(2, 5);
  grantees = s.signers.slice(5, 9);
  // grantee 0 and 1 are emergency delegates of every patient; grantee 2 is a verified provider;
  // grantee 3 is neither, so its break-glass attempts must fail.
  for (const p of patients) {
    await mined(s.consent.connect(p).setEmergencyDelegate(grantees[0].address, true));
    await mined(s.consent.connect(p).setEmergencyDelegate(grantees[1].address, true));
  }
  await mined(s.directory.connect(s.verifier).attestProvider(grantees[2].address, randomHash(), (await now()) + 10n ** 9n));
});

async function checkAll(model: Model): Promise<void> {
  const t = await now();
  for (let p = 0; p < patients.length; p++) {
    for (let g = 0; g < grantees.length; g++) {
      const expected = modelScopes(model, p, g, t);
      const actual = Number(await s.consent.effectiveScopes(patients[p].address, grantees[g].address));
      expect(actual, `patient ${p} grantee ${g} at ${t}`).toBe(expected);
      for (const bit of [Scope.LABS, Scope.MENTAL_HEALTH, Scope.WRITE]) {
        expect(await s.consent.hasAccess(patients[p].address, grantees[g].address, bit)).toBe(((expected & bit) >>> 0) === bit);
      }
    }
  }
}

describe('ConsentRegistry against a model', () => {
  it('hasAccess equals the model after every step', async () => {
    let nonce = 0n;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 12 }), async (commands) => {
        const snap = await snapshot();
        const model: Model = new Map();
        try {
          for (const c of commands) {
            // Every transaction lands exactly one second after the latest block (no wall-clock drift),
            // so expiries at the edge are tested deterministically.
            await setNextTimestamp((await now()) + 1n);
            if (c.kind === 'travel') {
              await setNextTimestamp((await now()) + BigInt(c.seconds));
              await ethers.provider.send('evm_mine', []);
            } else if (c.kind === 'grant') {
              const expiresAt = (await now()) + BigInt(c.ttl) + 1n;
              const patient = patients[c.p];
              const grantee = grantees[c.g].address;
              const purpose = randomHash();
              const receipt = c.bySig
                ? await (async () => {
                    const epoch = Number((await s.consent.grantOf(patient.address, grantee)).epoch);
                    const m = { patient: patient.address, grantee, scopes: c.scopes, expiresAt, purpose, epoch, nonce: nonce++, deadline: expiresAt };
                    const td = grantTypedData(consentDomain(s.chainId, s.consent.target as string), m);
                    const sig = compactSignature(await patient.signTypedData(td.domain, td.types, td.message));
                    return mined(s.consent.connect(s.signers[19]).grantBySig(m.patient, grantee, m.scopes, expiresAt, purpose, epoch, m.nonce, m.deadline, sig.r, sig.vs));
                  })()
                : await mined(s.consent.connect(patient).grant(grantee, c.scopes, expiresAt, purpose));
              expect(receipt.status).toBe(1);
              const prev = model.get(key(c.p, c.g));
              model.set(key(c.p, c.g), { scopes: c.scopes, expiresAt, emergencyUntil: prev?.emergencyUntil ?? 0n });
            } else if (c.kind === 'revoke') {
              const call = s.consent.connect(patients[c.p]).revoke(grantees[c.g].address);
              if (model.has(key(c.p, c.g))) {
                await mined(call);
                model.delete(key(c.p, c.g));
              } else {
                await expect(call).rejects.toThrow();
              }
            } else {
              const call = s.consent.connect(grantees[c.g]).breakGlass(patients[c.p].address, randomHash());
              if (c.g <= 2) {
                const receipt = await mined(call);
                const t = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
                const prev = model.get(key(c.p, c.g)) ?? { scopes: 0, expiresAt: 0n, emergencyUntil: 0n };
                model.set(key(c.p, c.g), { ...prev, emergencyUntil: t + BREAK_GLASS });
              } else {
                await expect(call).rejects.toThrow();
              }
            }
            await checkAll(model);
          }
        } finally {
          await revertTo(snap);
        }
      }),
      { numRuns: 25 },
    );
  });
});
