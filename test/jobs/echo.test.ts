// Echo: the job loop end to end, answered as the person's user device.
import { invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()

describe('Echo', () => {
  it('answers with the text it was sent and the account it ran for', async () => {
    const alice = await suite.person('alice')
    expect(await job(alice, 'Echo', { text: 'Great Scott!' })).toEqual({ text: 'Great Scott!', username: 'alice' })
  })

  it('refuses a text that is not a string, naming the field (422)', async () => {
    const alice = await suite.person('alice')
    expect(await invalidMessage(alice, 'Echo', { text: 88 })).toEqual(['message.data.text must be a string'])
  })
})
