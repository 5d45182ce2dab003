import type { HttpMethod, Route } from './route.js'

/** Matches (method, exact path). A wrong method on a known path is not found, as the reference. */
export class Router {
  readonly #routes = new Map<string, Route>()

  constructor(routes: Route[]) {
    for (const route of routes) this.#routes.set(keyOf(route.method, route.path), route)
  }

  match(method: string, path: string): Route | undefined {
    return this.#routes.get(keyOf(method as HttpMethod, path))
  }
}

function keyOf(method: HttpMethod, path: string): string {
  return `${method} ${path}`
}
