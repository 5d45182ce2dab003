import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import {
  basicHeader,
  createNamedAdmin,
  createResourceToken,
  dbPermission,
  jsonInit,
  parsedLogs,
  rawRequest,
  startBareServer,
  unknownToken,
} from './support/auth-requests.js'
import type { Caller, RawRequestInit, TokenObject } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

/** Every file under `dir`, with its bytes. */
async function filesUnder(dir: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile())
  return Promise.all(
    files.map(async (entry) => {
      const path = join(entry.parentPath, entry.name)
      return { path, bytes: await readFile(path) }
    }),
  )
}

/** The secrets found in `haystack`: whole tokens, their random part, or Basic payloads. */
function leaked(haystack: string | Buffer, secrets: Iterable<string>): string[] {
  const found: string[] = []
  for (const secret of secrets) {
    const random = secret.startsWith('apiv3_') ? secret.slice('apiv3_'.length) : secret
    if (haystack.includes(secret) || haystack.includes(random)) found.push(secret)
  }
  return found
}

describe('secrets in logs and in the catalog', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  const secrets = new Set<string>()
  let app: TestServer
  let fileDir: string
  let operator: string
  let offlineAdmin: string
  let offlineReader: string

  const as =
    (token: string): Caller =>
    (path, init) =>
      app.fetchAs(token, path, init)
  const remember = (token: TokenObject) => {
    secrets.add(token.token)
    return token.token
  }

  before(async () => {
    fileDir = await mkdtemp(join(tmpdir(), 'fluxgate-token-files-'))
    offlineAdmin = unknownToken()
    offlineReader = unknownToken()
    const adminTokenFile = join(fileDir, 'admin.json')
    const permissionTokensFile = join(fileDir, 'permissions.json')
    const adminFile = { token: offlineAdmin, name: 'offline-admin' }
    await writeFile(adminTokenFile, JSON.stringify(adminFile), { mode: 0o600 })
    const permissionFile = {
      create_databases: ['fromfile'],
      tokens: [{ token: offlineReader, name: 'offline-reader', permissions: ['db:fromfile:read'] }],
    }
    await writeFile(permissionTokensFile, JSON.stringify(permissionFile), { mode: 0o600 })

    app = await startTestServer(
      {
        file: true,
        logFilter: 'trace',
        adminTokenFile,
        permissionTokensFile,
        adminTokenRecoveryHttpBind: '127.0.0.1:0',
      },
      { clock },
    )
    operator = app.operatorToken ?? ''
    for (const secret of [operator, offlineAdmin, offlineReader]) secrets.add(secret)
  })
  after(async () => {
    await app.close()
    await rm(fileDir, { recursive: true, force: true })
  })

  it('LG-1 runs every token flow', async () => {
    assert.equal((await app.write('a', 'm v=1 1')).status, 204)
    assert.equal((await as(offlineAdmin)('/health')).status, 200)
    const fromFile = await as(offlineReader)('/api/v3/query_sql?db=fromfile&q=SELECT%201')
    assert.equal(fromFile.status, 200)
    const named = remember(await createNamedAdmin(as(operator), 'named', 5))
    const reader = remember(
      await createResourceToken(as(named), 'reader', [dbPermission(['a'], ['read'])]),
    )
    assert.equal((await as(reader)('/api/v3/query_sql?db=a&q=SELECT%201')).status, 200)
    const doomed = remember(await createNamedAdmin(as(named), 'doomed'))
    assert.equal((await as(doomed)('/health')).status, 200)
    const removed = await as(operator)('/api/v3/configure/token?token_name=doomed', {
      method: 'DELETE',
    })
    assert.equal(removed.status, 200)

    const regeneratePath = '/api/v3/configure/token/admin/regenerate'
    const regenerated = await as(operator)(regeneratePath, { method: 'POST' })
    assert.equal(regenerated.status, 201)
    operator = remember((await regenerated.json()) as TokenObject)

    const recovered = await rawRequest(recoveryUrl(app), regeneratePath, { method: 'POST' })
    assert.equal(recovered.status, 201, recovered.body)
    operator = remember(JSON.parse(recovered.body) as TokenObject)
    assert.equal((await as(operator)('/health')).status, 200)

    clock.advance({ seconds: 5 })
    assert.equal((await as(named)('/health')).status, 401)
  })

  it('LG-1 presents every secret in every header form and in p=', async () => {
    const presented = [...secrets, unknownToken(), unknownToken()]
    for (const secret of presented) {
      secrets.add(secret)
      for (const [path, init] of requestsWith(secret)) {
        const res = await rawRequest(app.url, path, init)
        assert.ok(res.status > 0)
      }
      for (const credentials of [`user:${secret}`, secret, `a:b:${secret}`]) {
        secrets.add(Buffer.from(credentials).toString('base64'))
      }
    }
  })

  it('LG-1 sends a secret inside bodies the server refuses', async () => {
    const secret = unknownToken()
    secrets.add(secret)
    const broken = { ...jsonInit('POST', {}), body: `{"token_name": ${secret}}` }
    const named = await as(operator)('/api/v3/configure/token/named_admin', broken)
    assert.equal(named.status, 400)
    const lines = await as(operator)('/api/v3/write_lp?db=a', { method: 'POST', body: secret })
    assert.equal(lines.status, 400)
  })

  it('LG-1 the logs hold no token and no Basic payload', () => {
    const logs = app.logs.join('')
    const entries = parsedLogs(app.logs)
    assert.ok(
      entries.some((line) => Number(line.level) <= 20),
      'verbose logging is on',
    )
    assert.ok(entries.some((line) => line.reason === 'expired'))
    assert.ok(entries.some((line) => line.reason === 'unknown'))
    assert.ok(entries.some((line) => line.msg === 'operator token recovered'))
    assert.ok(entries.some((line) => line.msg === 'admin token file loaded'))

    assert.deepEqual(leaked(logs, secrets), [])
  })

  it('TK-2 the catalog holds digests only, before and after shutdown', async () => {
    const dataDir = app.dataDir ?? ''
    const digest = createHash('sha512').update(operator).digest('hex')
    const scan = async () => {
      const files = await filesUnder(dataDir)
      assert.ok(files.some((file) => file.path.includes('catalog.sqlite')))
      assert.ok(
        files.some((file) => file.bytes.includes(digest)),
        'the operator digest is stored',
      )
      return files.flatMap((file) => leaked(file.bytes, secrets).map(() => file.path))
    }

    assert.deepEqual(await scan(), [])
    await app.server.close()
    assert.deepEqual(await scan(), [])
  })
})

/** The requests a secret is presented in: each header form, p= and a query parameter. */
function requestsWith(secret: string): Array<[string, RawRequestInit]> {
  const headerForms = [
    `Bearer ${secret}`,
    `Token ${secret}`,
    basicHeader(`user:${secret}`),
    basicHeader(secret),
    basicHeader(`a:b:${secret}`),
    `bearer ${secret}`,
    `Bearer ${secret} extra`,
    secret,
  ]
  const endpoints: Array<[string, RawRequestInit]> = [
    ['/health', {}],
    ['/api/v3/query_sql?db=a&q=SELECT%201', {}],
    ['/api/v2/write?bucket=a', { method: 'POST', body: 'm v=1' }],
    ['/no/such/path', {}],
  ]
  const withHeaders = endpoints.flatMap(([path, init]) =>
    headerForms.map((authorization): [string, RawRequestInit] => [
      path,
      { ...init, headers: { authorization } },
    ]),
  )
  const write = { method: 'POST', body: 'm v=1' }
  return [
    ...withHeaders,
    [`/write?db=a&p=${secret}`, write],
    [`/write?db=a&u=user&p=${secret}`, write],
    [`/query?q=SHOW%20DATABASES&p=${secret}`, {}],
    [`/api/v3/write_lp?db=a&p=${secret}`, write],
    [`/health?access_token=${secret}`, {}],
  ]
}

/** The address the recovery listener logged when it started. */
function recoveryUrl(app: TestServer): string {
  const started = parsedLogs(app.logs).find(
    (line) => line.msg === 'admin token recovery listener started',
  )
  assert.ok(started, 'the recovery listener did not start')
  return `http://${String(started.address)}`
}

describe('offline token files', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fluxgate-token-file-'))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  const startWith = async (name: string, content: string, mode = 0o600) => {
    const path = join(dir, name)
    await writeFile(path, content, { mode })
    return startBareServer({ adminTokenFile: path, logFilter: 'trace' })
  }

  it('TK-8 refuses a token without the apiv3_ prefix, without quoting it', async () => {
    const secret = unknownToken().slice('apiv3_'.length)
    await assert.rejects(
      startWith('no-prefix.json', JSON.stringify({ token: secret })),
      (error) => {
        assert.ok(error instanceof Error)
        assert.ok(error.message.endsWith("Invalid token format: must start with 'apiv3_'"))
        assert.deepEqual(leaked(error.message, [secret]), [])
        return true
      },
    )
  })

  it('LG-1 refuses an invalid token file without quoting the token', async () => {
    const secret = unknownToken()
    const content = JSON.stringify({ token: secret, expiry_millis: 'soon' })
    await assert.rejects(startWith('bad-expiry.json', content), (error) => {
      assert.ok(error instanceof Error)
      assert.deepEqual(leaked(error.message, [secret]), [])
      return true
    })
  })

  it('LG-1 refuses a token file that is not JSON without quoting any of the token', async () => {
    const secret = unknownToken()
    await assert.rejects(startWith('raw-token.json', secret), (error) => {
      assert.ok(error instanceof Error)
      assert.ok(!error.message.includes(secret.slice(0, 10)), error.message)
      return true
    })
  })

  it('TK-8 warns about a file others can read, naming the file, not the token', async () => {
    const secret = unknownToken()
    const server = await startWith('shared.json', JSON.stringify({ token: secret }), 0o644)
    await server.close()
    const warning = parsedLogs(server.logs).find(
      (line) => line.level === 40 && line.file === join(dir, 'shared.json'),
    )
    assert.ok(warning, 'no warning names the file')
    assert.deepEqual(leaked(server.logs.join(''), [secret]), [])
  })
})
