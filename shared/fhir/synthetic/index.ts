export { generateCorpus, markersIn, MARKERS, patientResource, DEFAULT_MIX, type CorpusKind, type CorpusOptions } from './corpus.js';
export { tinyPdf } from './documents.js';
export { generateBundle, INVALID_KINDS, type BundleOptions, type ExpectedOutcome, type InvalidKind } from './bundle.js';
export { mulberry32, type Rng } from './prng.js';
