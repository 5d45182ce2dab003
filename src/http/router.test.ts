import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { text } from './replies.js'
import type { HttpMethod, Route } from './route.js'
import { Router } from './router.js'
import { allRoutes } from './routes/index.js'

function route(method: HttpMethod, path: string): Route {
  return {
    method,
    path,
    access: { kind: 'public' },
    handle: () => Promise.resolve(text(200, `${method} ${path}`)),
  }
}

const listDatabases = route('GET', '/api/v3/configure/database')
const createDatabase = route('POST', '/api/v3/configure/database')
const ping = route('GET', '/ping')
const router = new Router([listDatabases, createDatabase, ping])

describe('Router', () => {
  it('finds the route of a method and exact path', () => {
    assert.equal(router.match('GET', '/api/v3/configure/database')?.route, listDatabases)
    assert.equal(router.match('POST', '/api/v3/configure/database')?.route, createDatabase)
    assert.equal(router.match('GET', '/ping')?.route, ping)
  })

  it('finds nothing for a known path under another method (not found, not 405)', () => {
    assert.equal(router.match('DELETE', '/api/v3/configure/database'), undefined)
    assert.equal(router.match('POST', '/ping'), undefined)
    assert.equal(router.match('HEAD', '/ping'), undefined)
  })

  it('matches paths exactly: no trailing slash, prefix, suffix or case folding', () => {
    for (const path of ['/ping/', '/PING', '/pin', '/ping/x', '/api/v3/configure', 'ping', '']) {
      assert.equal(router.match('GET', path), undefined, path)
    }
  })

  it('matches methods exactly as Node reports them, in upper case', () => {
    assert.equal(router.match('get', '/ping'), undefined)
  })

  it('finds nothing in an empty router', () => {
    assert.equal(new Router([]).match('GET', '/ping'), undefined)
  })
})

describe('Router over every endpoint', () => {
  const everyRoute = new Router(allRoutes)

  it('gives each endpoint its own method and path, so none hides another', () => {
    const keys = allRoutes.map((r) => `${r.method} ${r.path}`)

    assert.equal(new Set(keys).size, keys.length)
    for (const r of allRoutes) assert.equal(everyRoute.match(r.method, r.path)?.route, r)
  })

  it('answers the write, query and database endpoints of the reference', () => {
    const expected: Array<[HttpMethod, string]> = [
      ['POST', '/api/v3/write_lp'],
      ['POST', '/write'],
      ['POST', '/api/v2/write'],
      ['GET', '/api/v3/query_sql'],
      ['POST', '/api/v3/query_sql'],
      ['GET', '/api/v3/configure/database'],
      ['POST', '/api/v3/configure/database'],
      ['PUT', '/api/v3/configure/database'],
      ['DELETE', '/api/v3/configure/database'],
      ['GET', '/ping'],
      ['GET', '/health'],
    ]
    for (const [method, path] of expected) {
      assert.notEqual(everyRoute.match(method, path), undefined, `${method} ${path}`)
    }
  })

  describe('paths with {name} segments', () => {
    const user = route('GET', '/api/v3/users/{id}')
    const userRoles = route('PUT', '/api/v3/users/{id}/roles')
    const withParams = new Router([user, userRoles, ping])

    it('matches one whole segment and hands over its decoded value', () => {
      assert.deepEqual(withParams.match('GET', '/api/v3/users/42'), {
        route: user,
        params: { id: '42' },
      })
      assert.deepEqual(withParams.match('PUT', '/api/v3/users/a%20b/roles')?.params, {
        id: 'a b',
      })
    })

    it('refuses empty or undecodable segments, extra segments and other methods', () => {
      for (const path of ['/api/v3/users/', '/api/v3/users/%E0', '/api/v3/users/1/2']) {
        assert.equal(withParams.match('GET', path), undefined, path)
      }
      assert.equal(withParams.match('DELETE', '/api/v3/users/1'), undefined)
      assert.equal(withParams.match('GET', '/api/v3/users/1/roles'), undefined)
    })
  })
})
