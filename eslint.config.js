// Lint and style: neostandard (standard's rules and style on ESLint 9, with typescript-eslint for .ts).
// `npm run lint` checks, `npm run lint -- --fix` formats; `npm test` runs it.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'coverage/**', '.tmp/**', 'data/**', 'src/jobs/*/types.ts', 'src/core/wire/schema-types.ts'],
  }),
  {
    rules: {
      // rows and options group related properties on one line (a kysely row, a limit's default and variable)
      '@stylistic/object-property-newline': 'off',
      // `void promise` marks a deliberate fire-and-forget; other uses of void stay refused
      'no-void': ['error', { allowAsStatement: true }],
    },
  },
  {
    // tests poll flags that callbacks set; the rule cannot see those writes
    files: ['test/**', 'bench/**'],
    rules: { 'no-unmodified-loop-condition': 'off' },
  },
]
