// V8's garbage-collector threads for a service process (config `gcProfile`). Per job the service allocates
// ~16 kB that is dead by the next scavenge (~50 kB of a 16 MB young generation survives), so helper threads
// have almost nothing to copy; what they do cost is the core they run on. And the concurrent ArrayBuffer
// sweeper frees each job's native buffers (socket reads, decrypt output) from another thread, contending
// with the event loop for the allocator's lock. Measured in bench/README.md, "GC helper threads".
import os from 'node:os'
import v8 from 'node:v8'
import { loadConfig, type Config } from '../config.js'

export type GcProfile = Config['gcProfile']

/** Both flags are read when a collection starts, so they can be set while the process runs. */
export const LEAN_GC_FLAGS: readonly string[] = ['--no-parallel-scavenge', '--no-concurrent-array-buffer-sweeping']

/** `auto` is lean on two cores or fewer: where the measurements were taken, and where a helper thread competes hardest. */
export function resolveGcProfile (profile: GcProfile, cores: number = os.availableParallelism()): 'lean' | 'parallel' {
  if (profile !== 'auto') return profile
  return cores <= 2 ? 'lean' : 'parallel'
}

/** Sets the profile's V8 flags for this process (process-wide, so only process owners call it: the CLI, the bench). */
export function applyGcProfile (profile: GcProfile, cores?: number): { profile: 'lean' | 'parallel', flags: readonly string[] } {
  const resolved = resolveGcProfile(profile, cores)
  const flags = resolved === 'lean' ? LEAN_GC_FLAGS : []
  for (const flag of flags) v8.setFlagsFromString(flag)
  return { profile: resolved, flags }
}

/** The profile GC_PROFILE names (else auto), for a process that starts no service (the bench's broker and clients). */
export function applyGcProfileOfEnvironment (): ReturnType<typeof applyGcProfile> {
  return applyGcProfile(loadConfig().gcProfile)
}
