import type { Reply, Route } from '../route.js'
import type { ServerContext } from '../server-context.js'

function pong(context: ServerContext): Promise<Reply> {
  const { product, version, revision, processId } = context.version
  return Promise.resolve({
    status: 200,
    headers: {
      'content-type': 'application/json',
      'x-influxdb-version': version,
      'x-influxdb-build': 'Enterprise',
    },
    body: JSON.stringify({ product_name: product, version, revision, process_id: processId }),
  })
}

/** `GET /ping`: the product, version and process, also in `X-Influxdb-*` headers for clients. */
export const ping: Route = {
  method: 'GET',
  path: '/ping',
  access: { kind: 'system', resource: 'ping' },
  handle: (_, context) => pong(context),
}

/** `POST /ping`: the same answer as GET. */
export const pingPost: Route = {
  method: 'POST',
  path: '/ping',
  access: { kind: 'system', resource: 'ping' },
  handle: (_, context) => pong(context),
}
