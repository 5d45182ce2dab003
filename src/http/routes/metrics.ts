import type { Route } from '../route.js'

/** `GET /metrics`: Prometheus text exposition. */
export const metrics: Route = {
  method: 'GET',
  path: '/metrics',
  access: { kind: 'system', resource: 'metrics' },
  async handle(_, context) {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      body: await context.metrics.render(),
    }
  },
}
