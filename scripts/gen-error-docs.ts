// Writes docs/errors.md from the error catalogues (each declared with defineCatalogue in src/core/errors.ts, and
// intercoop's protocol catalogue in the same form); test/docs/errors-docs.test.ts catches drift.
import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { CoreErrors, type CatalogueDescription, type DescribedEntry } from '../src/core/errors.js'
import { VaultErrors } from '../src/core/vault/vault-errors.js'
import { OrganizationErrors } from '../src/core/organizations/organization-errors.js'
import { AclErrors } from '../src/core/acl/acl-errors.js'
import { IntercoopErrors } from '../src/core/intercoop/errors.js'

/** A section of the page: a catalogue with the prose around its table. */
interface Section {
  title: string
  catalogue: { description: CatalogueDescription }
  source: string
  before: string[]
  after?: string[]
}

const SECTIONS: Section[] = [
  {
    title: 'Bus and job runner',
    catalogue: CoreErrors,
    source: '`CoreErrors` in `src/core/errors.ts`',
    before: ['Texts fixed by the systems endo-vault is compatible with (`../shared/reference/meshblu-endo.md`).'],
  },
  {
    title: 'Vault, connections and shares',
    catalogue: VaultErrors,
    source: '`VaultErrors` in `src/core/vault/vault-errors.ts`',
    before: [
      'What the vault jobs (items, templates, invitations, connections, shares) answer when something is wrong.',
      'Something that does not exist and something that belongs to someone else get the same 404 and the same text,',
      'so a reply never tells that another person\'s item, share, connection or invitation exists.',
    ],
  },
  {
    title: 'Organizations',
    catalogue: OrganizationErrors,
    source: '`OrganizationErrors` in `src/core/organizations/organization-errors.ts`',
    before: [
      'The organization jobs (organizations, members, services, nodes). Someone who is not a member gets a 404 (the',
      'organization\'s existence is not revealed), a member without the role a 403 naming the role; members, services',
      'and nodes wait until the platform admins validated the organization (409).',
    ],
  },
  {
    title: 'ACL: API tokens',
    catalogue: AclErrors,
    source: '`AclErrors` in `src/core/acl/acl-errors.ts`',
    before: [
      'The API-token jobs (role rules of `../shared/reference/intercoop-auroral.md` B2) and the HTTP API at',
      '`/api/external/v1` (B3 with the B6 fixes), whose errors keep AURORAL\'s envelope `{"error": text}`.',
    ],
  },
  {
    title: 'Intercoop',
    catalogue: IntercoopErrors,
    source: '`IntercoopErrorText` in `src/core/intercoop/errors.ts`',
    before: [
      'The error classes of the intercoop protocol (Som Energia, `../shared/reference/intercoop-auroral.md` §A2) and',
      'the ones endo-vault adds. Where they appear:',
      '',
      '- **Target API** (`/intercoop/*`, what peers call): YAML `{error, message, arguments}` with the code below as',
      '  HTTP status and `Content-Type: application/yaml`. A Python or PHP client rebuilds the same class from',
      '  `error` + `arguments`, so the templates are a contract: `{}` stands for each argument in order. The key is',
      '  the class name.',
      '- **Job replies** (the person\'s Intercoop jobs): `metadata.code` is the code below, `metadata.error.name`',
      '  the class and `metadata.error.message` the filled template. When a peer refuses an activation, the reply',
      '  carries the peer\'s class and message as the peer sent them (a class outside this table keeps the peer\'s',
      '  message, with the peer\'s 4xx status or 502).',
    ],
    after: [
      '"Not YAML" includes, for the envelope (BadMessage, detail `Bad message YAML format\\n…`) and the payload',
      '(BadFormat) alike, always 400 and never a 500: a syntax error (a tab where PyYAML refuses one), a duplicate',
      'key, a second document, more aliases than `INTERCOOP_MAX_YAML_ALIASES` or an alias expansion past it (alias',
      'bombs), nesting deeper than `MAX_JSON_DEPTH`, more tokens than `INTERCOOP_MAX_YAML_TOKENS`, an explicit tag',
      'other than `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map` (so `!!python/object…`, local',
      'tags, `!!binary`, `!!timestamp`, `!!set`, `!!omap`, `!!pairs` are refused, never constructed), a mapping key',
      'that is a collection or an alias, and a number JavaScript cannot hold exactly (an integer past 2^53, `1e999`,',
      '`.inf`, `.nan`). The detail after the first line is the parser\'s text, as upstream\'s is library-specific.',
      'The same bounds apply to what a peer answers our jobs (and its answer is read up to `INTERCOOP_MAX_BODY_BYTES`',
      'within `INTERCOOP_REQUEST_TIMEOUT_MS`); a failure there is a BackendError.',
    ],
  },
]

/** A table cell: one line, pipes escaped (GitHub tables split on them even inside code). */
const cell = (text: string): string => text.replaceAll('\n', '\\n').replaceAll('|', '\\|')

function textCell ({ text, example }: DescribedEntry): string {
  return text !== undefined ? `\`${cell(text)}\`` : `e.g. \`${cell(example ?? '')}\``
}

function table ({ entries }: CatalogueDescription): string[] {
  const withOrigin = Object.values(entries).some(entry => entry.origin !== undefined)
  const head = withOrigin ? ['key', 'code', 'text', 'origin', 'when'] : ['key', 'code', 'text', 'when']
  const rows = Object.entries(entries).map(([key, entry]) => [
    key, entry.code === undefined ? '–' : String(entry.code), textCell(entry), ...(withOrigin ? [entry.origin ?? ''] : []), entry.when,
  ])
  return [head, head.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`)
}

function section ({ title, catalogue, source, before, after }: Section): string[] {
  return [`## ${title}`, '', ...before, '', `Catalogue: ${source}.`, '', ...table(catalogue.description), ...(after === undefined ? [] : ['', ...after]), '']
}

export function errorsMarkdown (): string {
  return [
    '# Errors',
    '',
    'Generated from the error catalogues by `node --import tsx scripts/gen-error-docs.ts`; do not edit by hand.',
    '`test/docs/errors-docs.test.ts` fails when this page and the catalogues disagree.',
    '',
    'Every error a person can see carries an HTTP-like code and one of the texts below, which are a contract.',
    'A job reply carries them as `metadata.code` and `metadata.error.message` (with the error\'s class as',
    '`metadata.error.name`); an HTTP route answers with that status and the text. Any other failure is a 500',
    'whose text is `Internal Server Error`; its details go to the log only. A text built from arguments is shown',
    'with example arguments (`e.g.`).',
    '',
    ...SECTIONS.flatMap(section),
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await fs.writeFile(new URL('../docs/errors.md', import.meta.url), errorsMarkdown())
}
