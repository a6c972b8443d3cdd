// The jobs' validators as the build generated them: none when the service runs from src/ (tests, tsx), which
// compiles them at start. scripts/build.js bundles dist/ with this module replaced by ajv's standalone code of every
// job's message and response validators (scripts/validator-code.ts), so the compiled service does not compile them
// (~350 ms of its start). test/build/precompiled-validators.test.ts holds both to the same answers.
import type { JobValidators } from './compile-job-validators.js'

/** jobType → its validators, or undefined (from src/). */
export const PRECOMPILED_JOB_VALIDATORS: Readonly<Record<string, JobValidators>> | undefined = undefined
