// The schemas form designers read (meshblu-endo §5.6): each job's message schema plus the metadata
// it must carry, and each response schema plus the reply metadata.
import type { JobSchemas } from './discover-jobs.js'

type Schema = Record<string, any>

export function mergedMessageSchema (job: JobSchemas): Schema {
  const schema = job.messageSchema
  const required = new Set<string>([...(Array.isArray(schema.required) ? schema.required as string[] : []), 'metadata'])
  return {
    ...schema,
    'x-form-schema': { angular: `message.${job.jobType}.angular` },
    'x-response-schema': job.jobType,
    'x-group-name': schema['x-group-name'] ?? 'Jobs',
    properties: {
      ...(schema.properties ?? {}),
      metadata: {
        type: 'object',
        required: ['jobType'],
        properties: {
          jobType: { type: 'string', enum: [job.jobType], default: job.jobType },
          respondTo: {},
        },
      },
    },
    required: [...required],
  }
}

export function mergedResponseSchema (job: JobSchemas): Schema {
  const schema = job.responseSchema
  return {
    ...schema,
    properties: {
      ...(schema.properties ?? {}),
      metadata: {
        type: 'object',
        required: ['status', 'code'],
        properties: { status: { type: 'string' }, code: { type: 'integer' }, to: {} },
      },
    },
  }
}
