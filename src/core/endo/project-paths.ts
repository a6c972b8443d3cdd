// Where the job folders and shared schemas live (relative to this file, so it works from any cwd).
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export const JOBS_DIR = path.join(root, 'src/jobs')
export const SHARED_SCHEMAS_DIR = path.join(root, 'schemas')
