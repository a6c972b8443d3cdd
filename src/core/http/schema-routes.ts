// The merged job schemas for form designers (meshblu-endo §5.6) and the shared schemas they $ref.
import express, { type Express } from 'express'
import path from 'node:path'
import { BadRequest, NotFound } from '../errors.js'
import type { HttpContext } from './http-context.js'

const SCHEMA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export function schemaRoutes (app: Express, ctx: HttpContext): void {
  const router = express.Router()
  const catalog = ctx.catalog
  router.get('/v1/message-schema', (_req, res) => { res.json(catalog.messageSchemas()) })
  router.get('/v1/response-schema', (_req, res) => { res.json(catalog.responseSchemas()) })
  router.get('/v1/form-schema', (_req, res) => { res.json(catalog.formSchemas()) })
  router.get('/schemas/:name', (req, res) => {
    const name = req.params.name
    if (!SCHEMA_NAME.test(name) || name.includes('..') || path.basename(name) !== name) throw new BadRequest(`invalid schema name ${JSON.stringify(name)}`)
    const file = name.endsWith('.json') ? name : `${name}.json`
    const schema = catalog.sharedSchemas[file]
    if (schema === undefined) throw new NotFound(`no schema named ${JSON.stringify(name)}`)
    res.json(schema)
  })
  app.use(router)
}
