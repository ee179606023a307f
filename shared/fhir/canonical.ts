// Canonical JSON for FHIR resources. We re-use the crypto module's implementation (RFC 8785 rules:
// sorted keys, no whitespace, ES number form) instead of keeping a second one: records are encrypted as
// those exact bytes, and two "canonical" forms that disagree on an edge case (a lone surrogate, -0)
// would make the same record de-duplicate differently from how it is stored.
export { canonicalJson, canonicalJsonBytes, type JsonValue } from '../crypto/canonical-json.js';
