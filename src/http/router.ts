import type { HttpMethod, Route } from './route.js'

/** A route found for a request, with the values of its `{name}` path segments. */
export interface RouteMatch {
  route: Route
  params: Readonly<Record<string, string>>
}

/** A route path with `{name}` segments, split for matching. */
interface PatternRoute {
  route: Route
  segments: string[]
}

/**
 * Matches (method, path): exact paths first, then paths with `{name}` segments, each of which
 * takes one whole, non-empty, percent-decoded segment. A wrong method on a known path is not
 * found, as the reference.
 */
export class Router {
  readonly #exact = new Map<string, Route>()
  readonly #patterns: PatternRoute[] = []

  constructor(routes: Route[]) {
    for (const route of routes) {
      if (route.path.includes('{')) this.#patterns.push({ route, segments: route.path.split('/') })
      else this.#exact.set(keyOf(route.method, route.path), route)
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    const exact = this.#exact.get(keyOf(method as HttpMethod, path))
    if (exact !== undefined) return { route: exact, params: {} }

    const segments = path.split('/')
    for (const pattern of this.#patterns) {
      if (pattern.route.method !== method) continue
      const params = paramsOf(pattern.segments, segments)
      if (params !== undefined) return { route: pattern.route, params }
    }

    return undefined
  }
}

function keyOf(method: HttpMethod, path: string): string {
  return `${method} ${path}`
}

function paramsOf(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined

  const params: Record<string, string> = {}
  for (let at = 0; at < pattern.length; at++) {
    const expected = pattern[at] ?? ''
    const given = segments[at] ?? ''
    if (!expected.startsWith('{')) {
      if (expected !== given) return undefined
      continue
    }

    const value = decodeSegment(given)
    if (value === undefined || value === '') return undefined
    params[expected.slice(1, -1)] = value
  }

  return params
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
