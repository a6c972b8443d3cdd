// Types of build-freshness.js (plain JavaScript, as it runs before anything is built), for the tests that use it.
export const BUILD_INFO_FILE: string
export interface BuildInputs {
  sources: Record<string, string>
  schemas: Record<string, string>
  stampedAt: number
  stamps: Record<string, string>
}
export function buildInputs (root: string): BuildInputs
export function buildProblem (root: string): string | undefined
