// The job paths the bench drives through the full service, one row each. A row runs when its job folder
// exists (src/jobs/<folder>); adding a path is adding a row. `prepare` runs once per flow before the
// warm-up (through the same service, as jobs); `data` builds each message's data; `check` says what is
// wrong with a reply, or undefined when it is right.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** What arrives on F's topic: `{topic:'message', data:{metadata:{code, status, to}, data}}` → this is `data`. */
export interface JobReply {
  metadata?: { code?: number, status?: string, to?: unknown, error?: { message?: string } }
  data?: any
}

export type SendJob = (jobType: string, data: unknown) => Promise<JobReply>

export interface JobPath {
  /** Short name used in the table, results.json and `--only`. */
  name: string
  label: string
  jobType: string
  /** Folder under src/jobs that must exist for the path to run. */
  folder: string
  /** Issue 9 target: jobs/s at 16 flows as a fraction of the baseline's QoS 1 round trips/s. */
  targetRatioAt16?: number
  prepare?: (send: SendJob, flowIndex: number) => Promise<unknown>
  data: (state: unknown, padding: string) => unknown
  check: (reply: JobReply, state: unknown, sent: any) => string | undefined
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export function jobFolderExists (jobPath: JobPath): boolean {
  return fs.existsSync(path.join(REPO_ROOT, 'src', 'jobs', jobPath.folder, 'job.ts'))
}

function replyProblem (reply: JobReply, expectedCode: number): string | undefined {
  const code = reply.metadata?.code
  if (code === expectedCode) return undefined
  return `code ${String(code)}${reply.metadata?.error?.message === undefined ? '' : `: ${reply.metadata.error.message}`}`
}

/** The first string `id` found in a reply's data (the vault's reply shape is the vault's to choose). */
function findId (value: unknown, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object' || depth > 4) return undefined
  const record = value as Record<string, unknown>
  if (typeof record.id === 'string') return record.id
  for (const key of ['item', 'items', 'data']) {
    const found = findId(record[key], depth + 1)
    if (found !== undefined) return found
  }
  for (const child of Object.values(record)) {
    const found = findId(child, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

export const JOB_PATHS: JobPath[] = [
  {
    name: 'echo',
    label: 'Echo job (full service)',
    jobType: 'Echo',
    folder: 'echo',
    targetRatioAt16: 0.5,
    data: (_state, padding) => ({ text: padding }),
    check: (reply, _state, sent) => replyProblem(reply, 200) ?? (reply.data?.text === sent.text ? undefined : 'reply text differs from the text sent'),
  },
  {
    name: 'get-item',
    label: 'Vault read (GetItem)',
    jobType: 'GetItem',
    folder: 'get-item',
    targetRatioAt16: 0.35,
    // One vehicle item per flow, created through the service; each read decrypts its slots.
    async prepare (send, flowIndex) {
      const reply = await send('CreateItem', {
        template_name: 'vehicle',
        label: `Bench DeLorean ${flowIndex}`,
        slots: [{ name: 'make', value: 'DMC' }, { name: 'model', value: 'DeLorean' }, { name: 'licence_plate', value: `OUTATIME-${flowIndex}` }],
      })
      const code = reply.metadata?.code
      const id = findId(reply.data)
      if (code === undefined || code >= 300 || id === undefined) throw new Error(`CreateItem for the GetItem path failed: ${replyProblem(reply, 201) ?? 'no item id in the reply'}`)
      return { id }
    },
    data: state => ({ item_id: (state as { id: string }).id }),
    check: (reply, state) => {
      const problem = replyProblem(reply, 200)
      if (problem !== undefined) return problem
      const item = reply.data?.item as { id?: string, slots?: Array<{ name: string, value: unknown }> } | undefined
      if (item?.id !== (state as { id: string }).id) return 'reply is not the item asked for'
      return item.slots?.find(slot => slot.name === 'make')?.value === 'DMC' ? undefined : 'slot "make" did not decrypt to its value'
    },
  },
]

/**
 * A scenario whose unit is a sequence of jobs by several flows (persons), each step waiting for the previous
 * reply. `run` gets one SendJob per flow of the cycle and says what is wrong, or undefined when all is right.
 */
export interface JobCycle {
  name: string
  label: string
  /** Job folders under src/jobs that must all exist. */
  folders: string[]
  jobTypes: string[]
  flowsPerCycle: number
  run: (send: SendJob[], index: number) => Promise<string | undefined>
}

export function jobCycleFoldersExist (cycle: JobCycle): boolean {
  return cycle.folders.every(folder => fs.existsSync(path.join(REPO_ROOT, 'src', 'jobs', folder, 'job.ts')))
}

export const JOB_CYCLES: JobCycle[] = [
  {
    // Each invitation and each acceptance takes a fresh connection key pair (RSA-4096 by default, generated on
    // the threadpool, ~1–9 s each on this machine); the deletion lets the same two persons connect again.
    name: 'vault-keys',
    label: 'Vault keys: invite+accept+delete',
    folders: ['create-invitation', 'accept-invitation', 'delete-connection'],
    jobTypes: ['CreateInvitation', 'AcceptInvitation', 'DeleteConnection'],
    flowsPerCycle: 2,
    async run ([inviter, acceptor], index) {
      const invited = await inviter('CreateInvitation', { name: `Bench invitee ${index}` })
      const token = invited.data?.token
      if (replyProblem(invited, 201) !== undefined || typeof token !== 'string') return `CreateInvitation: ${replyProblem(invited, 201) ?? 'no token in the reply'}`
      const accepted = await acceptor('AcceptInvitation', { token, name: `Bench inviter ${index}` })
      const connectionId = accepted.data?.connection?.id
      if (replyProblem(accepted, 201) !== undefined || typeof connectionId !== 'string') return `AcceptInvitation: ${replyProblem(accepted, 201) ?? 'no connection id in the reply'}`
      if (accepted.data?.connection_existed_already !== false) return 'AcceptInvitation: the two were connected already (no key pair generated)'
      const deleted = await acceptor('DeleteConnection', { connection_id: connectionId })
      return replyProblem(deleted, 200) === undefined ? undefined : `DeleteConnection: ${replyProblem(deleted, 200) ?? ''}`
    },
  },
]

export function jobCycleNamed (name: string): JobCycle {
  const found = JOB_CYCLES.find(c => c.name === name)
  if (found === undefined) throw new Error(`no job cycle named ${name}`)
  return found
}

export function jobPathNamed (name: string): JobPath {
  const found = JOB_PATHS.find(p => p.name === name)
  if (found === undefined) throw new Error(`no job path named ${name}`)
  return found
}
