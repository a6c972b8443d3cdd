// dist/ bundles mingo's ES build (scripts/bundle-options.ts: its CommonJS build cost ~100 ms of each start), while
// src/ under the tests runs the CommonJS one Node picks. Device queries, projections and update operators, the code
// that runs on mingo, answer the same from a bundle made as the build makes it as from src/.
import * as documentQuery from '../../src/core/bus/document-query.js'
import * as updateOperators from '../../src/core/bus/update-operators.js'
import { bundledAsDist, type Bundle } from './bundled-as-dist.js'

const DOCUMENTS = [
  { uuid: 'd-1', type: 'flow', online: true, owner: 'u-1', tags: ['a', 'b'], n: 3, nested: { list: [1, [2, 3]], name: 'Zoë' } },
  { uuid: 'd-2', type: 'user', online: false, owner: ['u-1', 'u-2'], tags: [], n: 10, nested: { list: [], name: 'zoe' } },
  { uuid: 'd-3', type: 'status', n: null, items: [{ k: 'x', v: 1 }, { k: 'y', v: 5 }], created: '2026-01-01T00:00:00Z' },
  { uuid: 'd-4', meshblu: { whitelists: { discover: { view: [{ uuid: '*' }] } } }, n: 7.5, tags: ['b', 'c', 'b'] },
]

const QUERIES: unknown[] = [
  {}, { type: 'flow' }, { type: { $in: ['flow', 'user'] } }, { type: { $nin: ['flow', null] } }, { owner: 'u-2' },
  { owner: { $eq: 'u-1' } }, { owner: { $ne: 'u-1' } }, { n: { $gt: 3 } }, { n: { $gte: 3, $lt: 10 } }, { n: { $lte: 7.5 } },
  { n: null }, { n: { $exists: false } }, { online: { $exists: true } }, { n: { $type: 'number' } }, { n: { $type: 'null' } },
  { tags: { $size: 2 } }, { tags: { $all: ['b'] } }, { tags: { $all: ['b', 'c'] } }, { tags: 'b' },
  { items: { $elemMatch: { k: 'y', v: { $gt: 2 } } } }, { 'items.k': 'x' }, { 'nested.list': 2 }, { 'nested.list': [2, 3] },
  { 'nested.name': { $regex: '^zo', $options: 'i' } }, { 'nested.name': { $regex: 'ë' } }, { $or: [{ type: 'user' }, { n: { $gt: 5 } }] },
  { $and: [{ type: { $exists: true } }, { $nor: [{ type: 'status' }] }] }, { n: { $not: { $gt: 5 } } },
  { 'meshblu.whitelists.discover.view.uuid': '*' }, { created: { $gt: '2025-12-31' } },
  // refused or failing ones: the same refusal
  { $where: 'true' }, { n: { $mod: [2, 1] } }, { type: { $regex: '(a+)+' } }, { n: { $gt: 1, $foo: 2 } }, 'type', [],
]

const PROJECTIONS: unknown[] = [undefined, {}, { type: 1 }, { uuid: 1, 'nested.name': 1 }, { nested: 0 }, { tags: 1, _id: 0 }, { uuid: 1, n: 0 }, { $where: 1 }]

const UPDATES: Array<[Record<string, unknown>, unknown]> = [
  [{ a: 1 }, { $set: { a: 2, 'b.c': 3 } }], [{ a: 1, b: 2 }, { $unset: { a: '' } }], [{ n: 1 }, { $inc: { n: 2, m: 5 } }],
  [{ n: 3 }, { $mul: { n: 4 } }], [{ list: [1] }, { $push: { list: { $each: [2, 3] } } }], [{ list: [1, 2, 1, 3] }, { $pull: { list: 1 } }],
  [{ list: [1, 5, 9] }, { $pull: { list: { $gte: 5 } } }], [{ list: [{ k: 1 }, { k: 2 }] }, { $pull: { list: { k: { $in: [2] } } } }],
  [{ tags: ['a'] }, { $addToSet: { tags: 'b' } }], [{ tags: ['a'] }, { $addToSet: { tags: { $each: ['a', 'c'] } } }],
  [{ list: [1, 2, 3] }, { $pop: { list: -1 } }], [{ list: [1, 2, 3, 2] }, { $pullAll: { list: [2, 3] } }],
  [{ low: 5 }, { $min: { low: 3 } }], [{ high: 5 }, { $max: { high: 7 } }], [{ n: 'x' }, { $inc: { n: 1 } }],
  [{}, { $set: { uuid: 'x' } }], [{}, { $rename: { a: 'b' } }], [{ list: 1 }, { $push: { list: 2 } }],
]

type Outcome = { value: unknown } | { error: string }

function outcome (run: () => unknown): Outcome {
  try {
    return { value: run() }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` }
  }
}

describe('mingo as dist/ bundles it', () => {
  let bundle: Bundle
  let bundled: { documentQuery: typeof documentQuery, updateOperators: typeof updateOperators }

  beforeAll(async () => {
    bundle = await bundledAsDist({ 'document-query': 'src/core/bus/document-query.ts', 'update-operators': 'src/core/bus/update-operators.ts' })
    bundled = { documentQuery: await bundle.load('document-query'), updateOperators: await bundle.load('update-operators') }
  }, 60_000)
  afterAll(() => { bundle.remove() })

  it('is its ES build', () => {
    const mingoFiles = bundle.inputs.filter(file => file.includes('node_modules/mingo/'))
    expect(mingoFiles.length).toBeGreaterThan(0)
    expect(mingoFiles.filter(file => !file.includes('node_modules/mingo/esm/'))).toEqual([])
  })

  it('selects the same devices, or refuses the same queries', () => {
    for (const query of QUERIES) {
      const selected = (filter: typeof documentQuery.documentFilter) => outcome(() => { const test = filter(query, 'search'); return DOCUMENTS.map(document => test(document)) })
      expect({ query, ...selected(bundled.documentQuery.documentFilter) }).toEqual({ query, ...selected(documentQuery.documentFilter) })
    }
  })

  it('projects devices the same', () => {
    for (const projection of PROJECTIONS) {
      const projected = (project: typeof documentQuery.documentProjection) => outcome(() => { const apply = project(projection); return DOCUMENTS.map(document => apply === undefined ? document : apply(document)) })
      expect({ projection, ...projected(bundled.documentQuery.documentProjection) }).toEqual({ projection, ...projected(documentQuery.documentProjection) })
    }
  })

  it('applies update operators the same, or refuses the same updates', () => {
    for (const [before, operators] of UPDATES) {
      const device = { uuid: 'd-1', ...before }
      const updated = (apply: typeof updateOperators.applyUpdateOperators) => outcome(() => apply(structuredClone(device), operators))
      expect({ operators, ...updated(bundled.updateOperators.applyUpdateOperators) }).toEqual({ operators, ...updated(updateOperators.applyUpdateOperators) })
    }
  })
})
