// Imports point one way (DESIGN.md): a module imports its own folder and the layers below it, never a layer
// above it nor a peer of its own layer. `npm run lint:imports` runs this after madge's cycle check.
// Layers, lowest first; folders on one line are peers.
const layers = [
  // the types generated from schemas/ (npm run gen:types): the wire contract, which core returns and jobs reply
  { wire: '^src/core/wire/' },
  { leaf: '^src/core/[^/]+\\.ts$' }, // config, limits, errors, log, job-context: import no folder but wire
  { crypto: '^src/core/crypto/', store: '^src/core/store/' },
  { bus: '^src/core/bus/' },
  { vault: '^src/core/vault/' }, // items, templates, connections, invitations, shares
  { organizations: '^src/core/organizations/', intercoop: '^src/core/intercoop/' },
  { acl: '^src/core/acl/' },
  { endo: '^src/core/endo/' }, // the job runner: it calls the bus and the domains
  { jobs: '^src/jobs/', broker: '^src/core/broker/', http: '^src/core/http/' },
  { service: '^src/core/service/' }, // the composition root
  { cli: '^src/cli/' },
]

const forbidden = layers.flatMap((rank, index) => Object.entries(rank).flatMap(([name, path]) => {
  const above = layers.slice(index + 1).flatMap(Object.values)
  const peers = Object.entries(rank).filter(([peer]) => peer !== name).map(([, peerPath]) => peerPath)
  if (above.length + peers.length === 0) return [] // the top layer may import anything below it
  return [{
    name: `${name}-imports-up`,
    comment: `${name} may import only layers below it (.dependency-cruiser.cjs lists them)`,
    severity: 'error',
    from: { path },
    to: { path: [...above, ...peers] },
  }]
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a domain typing its arguments with the runner's types depends on the runner
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
