import { describe, expect, it } from 'vitest';
import { Scope } from '../../../shared/chain/scopes';
import { ProviderErrorCode, ProviderRpcError, toProviderErrorData } from '../../../shared/protocol/errors';
import { MAX_SUBMIT_ENTRIES, SubmitParams, type SubmitResult as ProtocolResult } from '../../../shared/protocol/page';
import type { SubmitResult } from '../../../shared/sdk/portal-sdk';
import { validEntries } from '../../../extension/submit/entries';
import { mayWrite, writeScopesOf } from '../../../extension/submit/permit';
import { expectTypeOf } from 'vitest';

/** securemed_submit's boundary: the params schema, FHIR validation per entry, and what a write scope allows. */
const lab = (id: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation', id, status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { text: 'Glucose' }, valueQuantity: { value: 5, unit: 'mmol/L' }, ...extra,
});
const codeOf = (p: Promise<unknown>) => p.then(() => undefined, (e: ProviderRpcError) => e);

describe('SubmitParams', () => {
  it('takes resources or a bundle (not both, not neither), an optional grantee, and nothing else', () => {
    expect(SubmitParams.safeParse({ resources: [lab('a')] }).success).toBe(true);
    expect(SubmitParams.safeParse({ bundle: { resourceType: 'Bundle', type: 'collection', entry: [] }, grantee: '0x' + '1'.repeat(40) }).success).toBe(true);
    expect(SubmitParams.safeParse({}).success).toBe(false);
    expect(SubmitParams.safeParse({ resources: [lab('a')], bundle: { resourceType: 'Bundle' } }).success).toBe(false);
    expect(SubmitParams.safeParse({ resources: [] }).success).toBe(false);
    expect(SubmitParams.safeParse({ resources: [lab('a')], extra: 1 }).success).toBe(false);
    expect(SubmitParams.safeParse({ resources: [lab('a')], grantee: 'me' }).success).toBe(false);
    expect(SubmitParams.safeParse(undefined).success).toBe(false);
  });

  it(`is bounded: at most ${MAX_SUBMIT_ENTRIES} resources`, () => {
    expect(SubmitParams.safeParse({ resources: Array.from({ length: MAX_SUBMIT_ENTRIES }, (_, i) => lab(`l${i}`)) }).success).toBe(true);
    expect(SubmitParams.safeParse({ resources: Array.from({ length: MAX_SUBMIT_ENTRIES + 1 }, (_, i) => lab(`l${i}`)) }).success).toBe(false);
  });

  it("the SDK's SubmitResult is the protocol's", () => {
    expectTypeOf<SubmitResult>().toEqualTypeOf<ProtocolResult>();
  });
});

describe('validEntries: the vault import rules, all or nothing', () => {
  it('accepts valid resources and keeps their index', async () => {
    const valid = await validEntries({ resources: [lab('a'), lab('b')] });
    expect(valid.map((v) => [v.index, v.resource.id])).toEqual([[0, 'a'], [1, 'b']]);
  });

  it('one invalid entry refuses the whole submit with -32602 and the reasons per entry (data), in the message too', async () => {
    const error = (await codeOf(validEntries({ resources: [lab('a'), { resourceType: 'Observation', status: 'final' }, lab('c', { effectiveDateTime: '2021-02-30' }), 'text'] })))!;
    expect(error).toBeInstanceOf(ProviderRpcError);
    expect(error.code).toBe(ProviderErrorCode.invalidParams);
    expect(error.data).toEqual([
      { index: 1, reasons: ["Observation without a code: we can't tell what was measured."] },
      { index: 2, reasons: [expect.stringMatching(/date/i)] },
      { index: 3, reasons: [expect.any(String)] },
    ]);
    expect(error.message).toContain('Invalid FHIR in 3 of 4 entries; nothing was added');
    // The data crosses to the page as plain JSON with the code and message.
    expect(toProviderErrorData(error)).toEqual({ code: ProviderErrorCode.invalidParams, message: error.message, data: error.data });
  });

  it('a Bundle: its entries, numbered as in the Bundle; a DELETE entry or an unknown bundle type is refused', async () => {
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:0b3c7c61-4f3e-4a39-9a3c-2f8d7d1e6a11', resource: lab('x'), request: { method: 'POST', url: 'Observation' } }] };
    expect((await validEntries({ bundle })).map((v) => v.index)).toEqual([0]);
    const withDelete = { ...bundle, entry: [...bundle.entry, { request: { method: 'DELETE', url: 'Observation/1' } }] };
    expect((await codeOf(validEntries({ bundle: withDelete })))!.data).toEqual([{ index: 1, reasons: [expect.stringContaining('delete')] }]);
    expect((await codeOf(validEntries({ bundle: { resourceType: 'Bundle', type: 'history', entry: [] } })))!.code).toBe(ProviderErrorCode.invalidParams);
    expect((await codeOf(validEntries({ bundle: lab('not-a-bundle') })))!.message).toContain('must be a FHIR Bundle');
    expect((await codeOf(validEntries({ bundle: { resourceType: 'Bundle', type: 'collection', entry: [] } })))!.message).toContain('Nothing to add');
    const big = { resourceType: 'Bundle', type: 'collection', entry: Array.from({ length: MAX_SUBMIT_ENTRIES + 1 }, (_, i) => ({ resource: lab(`b${i}`) })) };
    expect((await codeOf(validEntries({ bundle: big })))!.code).toBe(ProviderErrorCode.invalidParams);
  });
});

describe('write scopes', () => {
  it('only c/u scopes write, with the kinds their type and category name; read scopes and v1 syntax write nothing', () => {
    expect(writeScopesOf(['patient/Observation.c?category=laboratory'])).toEqual([{ resourceType: 'Observation', bits: Scope.LABS }]);
    expect(writeScopesOf(['patient/Condition.cu'])).toEqual([{ resourceType: 'Condition', bits: Scope.CONDITIONS }]);
    expect(writeScopesOf(['patient/Observation.rs', 'patient/Observation.write', 'nonsense'])).toEqual([]);
  });

  it('a lab write scope lets a site add lab Observations only: not vitals, not Conditions, not a record labelled sensitive', () => {
    const permit = { grantee: '0x' + '1'.repeat(40), scopes: writeScopesOf(['patient/Observation.c?category=laboratory']) };
    expect(mayWrite(permit, lab('a'))).toBe(true);
    expect(mayWrite(permit, { ...lab('v'), category: [{ coding: [{ code: 'vital-signs' }] }] })).toBe(false);
    expect(mayWrite(permit, { resourceType: 'Condition' })).toBe(false);
    expect(mayWrite(permit, { ...lab('p'), meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }] } })).toBe(false);
    expect(mayWrite(permit, { resourceType: 'Provenance' })).toBe(false);
    const any = { grantee: permit.grantee, scopes: writeScopesOf(['patient/*.cu']) };
    expect(mayWrite(any, { resourceType: 'Condition' })).toBe(true);
  });
});
