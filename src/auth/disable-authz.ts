import { FluxgateError } from '../errors/index.js'

const exemptions: Record<string, string[]> = {
  health: ['/health', '/api/v1/health'],
  ping: ['/ping'],
  metrics: ['/metrics'],
  ready: ['/ready'],
  pprof: ['/debug/pprof/heap'],
  node_stop: ['/api/v3/enterprise/configure/node/stop'],
}

/**
 * Parses `--disable-authz health,ping,metrics` into the exempted paths, with the reference's
 * validation messages. Throws ERR_CONFIG.
 */
export function parseDisableAuthz(value: string | undefined): Set<string> {
  if (value === undefined || value.trim() === '') return new Set()

  const items = value.split(',').map((item) => item.trim())
  if (items.length > 6) {
    throw new FluxgateError('ERR_CONFIG', '--disable-authz cannot take more than 6 items')
  }

  const paths = new Set<string>()
  for (const item of items) {
    const exempted = exemptions[item]
    if (exempted === undefined) {
      throw new FluxgateError(
        'ERR_CONFIG',
        'invalid value passed in for --disable-authz, allowed values are health, ping, metrics, ready, pprof, and node_stop',
      )
    }
    for (const path of exempted) paths.add(path)
  }
  return paths
}
