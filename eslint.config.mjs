// ESLint (flat config): a modest general rule set, and the import boundaries that keep the trust
// boundaries visible (DESIGN.md, "Trust boundaries"). test/unit/boundary/lint-rules.test.ts proves that
// each boundary rule fires.
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

// ESLint's own "recommended" set, read from the rules' metadata (the @eslint/js package that ships it
// as a config is not a dependency here). typescript-eslint's recommended set then switches off the
// ones the type checker does better (no-undef, no-redeclare, …).
const eslintRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

/** The extension pages: trusted UI that asks the background for everything (extension/entrypoints/<page>/). */
const PAGES = ['popup', 'vault', 'options', 'approve', 'messages', 'sandbox'];

/**
 * Content scripts run inside every web page the patient visits. They may import only what relaying a
 * message needs, so a key, a record or a schema library can never end up in a page's reach (or weigh
 * on every page load). An allowlist, not a denylist: anything new has to be added here on purpose.
 */
const contentScriptImports = (sameFolder) => ({
  // wxt/browser and the content-script definer; the page channel (constants, wire types, admission
  // check, error codes, limits: no schema library); the content scripts' folders. A *.content.ts file
  // gets no `./` imports: its neighbours are the other entrypoints (background.ts, the pages).
  regex: String.raw`^(?!(?:wxt/browser|wxt/utils/define-content-script|(?:\.\./)+shared/protocol/(?:channel|errors|limits)|\.\./(?:bridge|page-world)/[\w.-]+${sameFolder ? String.raw`|\./[\w.-]+` : ''})$)`,
  message:
    'Content scripts (extension/bridge, extension/page-world, *.content.ts) run in every web page: they import only wxt/browser, the page channel (shared/protocol/channel, errors, limits) and their own folder. Keys, crypto, records, messaging, chain code, zod and the UI schemas stay in the background.',
});

/** Libraries that belong to the background only: heavy, and holders of keys or data. */
const backgroundLibraries = {
  group: ['ethers', 'ethers/*', '@xmtp/*', 'dexie', 'dexie/*'],
  message: 'UI pages never import ethers, XMTP or Dexie: ask the background (extension/ui/messenger.ts) for what you need.',
};

/** Background-side domain folders (keys, vault data, messaging, settings store, …). */
const BACKGROUND_FOLDERS = ['keys', 'records', 'messaging', 'settings', 'sites', 'approvals', 'page-api', 'background', 'bridge', 'page-world', 'chain', 'tx-queue', 'replicas'];
const backgroundFolders = {
  // Relative imports that climb to one of these folders, at any depth (../../records/browse).
  regex: String.raw`^(?:\.\./)+(?:${BACKGROUND_FOLDERS.join('|')})(?:/|$)`,
  // Type-only imports too: the view types pages need are declared in shared/protocol/ui/, beside the
  // requests that return them, so a page never has to name background code.
  message: 'UI pages never import background-side code (keys, records, messaging, settings store, sites, approvals, …): send a UI request (shared/protocol/ui/) instead.',
};

/** One page's folder must not reach into another page's folder: shared pieces live in extension/ui/. */
const otherPages = (page) => ({
  regex: String.raw`^(?:\.\./)+(?:entrypoints/)?(?:${PAGES.filter((other) => other !== page).join('|')})(?:/|$)`,
  message: 'Extension pages do not import other pages: move the shared piece to extension/ui/.',
});

/** extension/ui/ is below the pages: it may not import any of them. */
const anyPage = {
  regex: String.raw`^(?:\.\./)+entrypoints(?:/|$)`,
  message: 'extension/ui/ holds pieces shared by pages; it never imports a page.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/', '.output/', '.output-*/', '.wxt/', 'artifacts/', 'cache/', 'typechain-types/', 'test-results/', '.stack/', 'docs/'],
  },
  { rules: eslintRecommended },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a deliberately unused parameter or destructured field.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Plain JavaScript files run in Node (this config, fixture generators): Node's globals are defined.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly'])) },
  },
  {
    // Tests and benches drive Chromium through playwright: code passed to page.evaluate() reaches
    // browser and extension globals (chrome.*, window hooks) that have no types on the Node side.
    files: ['test/**', 'scripts/bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Hardhat 2 loads its config through ts-node as CommonJS: require() there is on purpose (see the file).
    files: ['hardhat.config.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Content scripts: one allowlist for both (page world and isolated world).
  {
    files: ['extension/bridge/**', 'extension/page-world/**', 'extension/entrypoints/*.content/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [contentScriptImports(true)] }] },
  },
  {
    files: ['extension/entrypoints/*.content.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [contentScriptImports(false)] }] },
  },
  // The background entrypoint starts services; it never loads a page's code.
  {
    files: ['extension/entrypoints/background.ts', 'extension/entrypoints/background/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: String.raw`^\./(?:${PAGES.join('|')})(?:/|$)`, message: 'The background never imports an extension page.' }] }] },
  },
  // Extension pages: no background libraries, no background folders, no other page's folder.
  ...PAGES.map((page) => ({
    files: [`extension/entrypoints/${page}/**`],
    rules: { 'no-restricted-imports': ['error', { patterns: [backgroundLibraries, backgroundFolders, otherPages(page)] }] },
  })),
  {
    files: ['extension/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [backgroundLibraries, backgroundFolders, anyPage] }] },
  },
);
