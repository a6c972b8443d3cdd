// Echo: answers with the text it got and the account it ran for.
import { defineJob } from '../../core/endo/job-definition.js'
import type { EchoMessageData, EchoResponseData } from './types.js'

export default defineJob<EchoMessageData, EchoResponseData>(async ({ data, credentials }) => {
  return { code: 200, data: { text: data.text, username: credentials.blob.username ?? null } }
})
