import { text } from '../replies.js'
import type { Route } from '../route.js'

const healthy = () => Promise.resolve(text(200, 'OK'))

/** `GET /health`: 200 `OK` while the server runs. */
export const health: Route = {
  method: 'GET',
  path: '/health',
  access: { kind: 'system', resource: 'health' },
  handle: healthy,
}

/** `GET /api/v1/health`: the v1 spelling of `/health`. */
export const healthV1: Route = {
  method: 'GET',
  path: '/api/v1/health',
  access: { kind: 'system', resource: 'health' },
  handle: healthy,
}
