// The import rules of ARCHITECTURE.md, checked by dependency-cruiser in `npm test`
// (test/architecture.test.ts) and by `npm run lint:deps`. Layers, bottom to top:
//   errors.ts, defaults.ts | basics/ | spec/  ->  auth/  ->  handler.ts  ->  domains/  ->  tenant/
//   ->  http/  ->  control/  ->  api.ts, app.ts, index.ts, cli.ts
// A file may import its own layer and the layers below it, never one above; no circle anywhere, type-only
// imports included. contracts/ is a client of the package: it imports only the entry, the spec module and basics/arguments.ts.
const layer = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: allowed },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No file-level circle, type-only imports included (ARCHITECTURE.md, "Imports run one way").',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (so the rules below see every arrow).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    layer('errors-import-nothing', '^src/(errors|defaults)\\.ts$', '^$', 'The error catalogue and the defaults import nothing of the project.'),
    layer('basics-stay-basic', '^src/basics/', '^src/(basics/|errors\\.ts$)', 'The basics import only each other and the errors.'),
    layer('spec-stays-spec', '^src/spec/', '^src/spec/', 'The spec module imports only itself.'),
    layer('auth-above-basics-only', '^src/auth/', '^src/(auth/|basics/|errors\\.ts$)', 'Auth imports only the basics and the errors (what it needs of a tenant comes through ports).'),
    layer('handler-contract', '^src/handler\\.ts$', '^src/(spec/|auth/)', 'The handler contract sits between the domains and the HTTP machinery.'),
    layer('domains-below-tenant', '^src/domains/', '^src/(domains/|handler\\.ts$|auth/|spec/|basics/|errors\\.ts$|defaults\\.ts$)', 'The domains never import the tenant assembly, the HTTP machinery, the control plane or the app.'),
    layer('tenant-below-http', '^src/tenant/', '^src/(tenant/|domains/|auth/|basics/|errors\\.ts$|defaults\\.ts$)', 'The tenant assembly knows the stores, never the HTTP machinery.'),
    layer('http-generic', '^src/http/', '^src/(http/|tenant/|handler\\.ts$|auth/|spec/|basics/|errors\\.ts$|defaults\\.ts$)', 'The HTTP machinery runs any plane; it never imports the domains, the control plane or the app.'),
    layer('control-below-app', '^src/control/', '^src/(control/|http/|tenant/|domains/|handler\\.ts$|auth/|spec/|basics/|errors\\.ts$|defaults\\.ts$)', 'The control plane never imports the app assembly.'),
    {
      name: 'contracts-use-the-package',
      comment: 'The contract suite is a client: it imports only the package entry (src/index.ts), the spec module and the command-line number parsers both CLIs share.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: '^src/', pathNot: '^src/(index\\.ts$|spec/|basics/arguments\\.ts$)' },
    },
    {
      name: 'src-never-imports-tests-or-contracts',
      comment: 'The fake does not depend on its tests or on the contract suite.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|contracts|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^test/fixtures/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
