// The validator of the configuration schema. Run from src/ (tests, tsx), it is compiled with ajv here.
// scripts/build.js bundles dist/ with this module replaced by ajv's standalone code for CONFIG_SCHEMA with these
// options (scripts/validator-code.ts), so the compiled service neither loads ajv nor compiles at start (~70 ms). The
// schema is passed in, as this module cannot import config.ts (which imports it); the generated one was made from
// that same schema. test/build/precompiled-validators.test.ts holds both to the same answers.
import { Ajv, type Options, type ValidateFunction } from 'ajv'

export const CONFIG_AJV_OPTIONS: Options = { useDefaults: true, allErrors: true, strict: false }

export function configValidator (schema: object): ValidateFunction {
  return new Ajv(CONFIG_AJV_OPTIONS).compile(schema)
}
