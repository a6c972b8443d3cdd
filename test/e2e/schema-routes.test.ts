import { startTestService, type TestService } from '../support/test-service.js'

describe('meshblu-endo §5.6: the schema routes form designers read', () => {
  let service: TestService
  beforeAll(async () => { service = await startTestService() })
  afterAll(async () => { await service.stop() })

  const get = async (path: string): Promise<{ status: number, body: any }> => {
    const response = await fetch(service.httpUrl + path)
    return { status: response.status, body: await response.json() }
  }

  it('serve every job\'s merged message schema by jobType', async () => {
    const { status, body } = await get('/v1/message-schema')
    expect(status).toBe(200)
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['Echo', 'CreateItem', 'ShareItem', 'CreateOrganization', 'CreateApiToken']))
    expect(body.Echo.properties.metadata.properties.jobType.enum).toEqual(['Echo'])
    expect(body.Echo['x-response-schema']).toBe('Echo')
  })

  it('serve the response schemas with the reply metadata', async () => {
    const { body } = await get('/v1/response-schema')
    expect(body.GetItem.properties.metadata.required).toEqual(['status', 'code'])
  })

  it('serve the form schemas under message', async () => {
    const { body } = await get('/v1/form-schema')
    expect(body.message.Echo).toEqual({ angular: [{ key: 'data.text', title: 'Text', type: 'textarea' }] })
  })

  it('serve a shared schema by name, with or without .json', async () => {
    expect((await get('/schemas/Item.json')).body.title).toBe('Item')
    expect((await get('/schemas/Item')).status).toBe(200)
  })

  it('answer 404 for a shared schema that does not exist', async () => {
    expect((await get('/schemas/Nothing.json')).status).toBe(404)
  })

  it('answer 400 for a name that escapes the schemas folder', async () => {
    for (const name of ['..%2Fpackage.json', '..%2F..%2Fsrc%2Fcore%2Fconfig.ts', '.hidden', '%2Fetc%2Fpasswd']) expect((await get(`/schemas/${name}`)).status).toBe(400)
  })
})
