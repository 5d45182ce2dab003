import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { CredentialsStore } from './credentials-store.js'
import type { StoredOAuthSession, StoredSession } from './credentials-store.js'

const host = 'http://127.0.0.1:8181'

function session(username: string): StoredSession {
  return {
    accessToken: `access-${username}`,
    refreshToken: `fgrt_refresh-${username}`,
    userId: 7,
    username,
    expiresAt: 1_800_000_000,
    authType: 'basic',
  }
}

function oauthSession(subject: string): StoredOAuthSession {
  return {
    accessToken: `eyJ.access-${subject}`,
    refreshToken: `refresh-${subject}`,
    expiresAt: 1_800_000_000,
    authType: 'oauth',
    issuer: 'https://idp.example.com',
    clientId: 'fluxgate-cli',
    tokenEndpoint: 'https://idp.example.com/oauth/token',
    audience: 'https://fluxgate.example.com/api',
    subject,
  }
}

describe('CredentialsStore', () => {
  let home = ''
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'fluxgate-home-'))
  })
  afterEach(() => rm(home, { recursive: true, force: true }))

  it('finds no session when the file does not exist', async () => {
    assert.equal(await new CredentialsStore(home).load(host), undefined)
  })

  it('saves a session per host and loads it back', async () => {
    const store = new CredentialsStore(home)
    await store.save(host, session('ada'))
    await store.save('https://db.example.com', session('grace'))

    assert.deepEqual(await store.load(host), session('ada'))
    assert.deepEqual(
      await new CredentialsStore(home).load('https://db.example.com'),
      session('grace'),
    )
    assert.equal(await store.load('http://elsewhere:8181'), undefined)
  })

  it('keeps the file in ~/.influxdb3, the directory 0700 and the file 0600', async () => {
    const store = new CredentialsStore(home)
    await store.save(host, session('ada'))

    assert.equal(store.path, join(home, '.influxdb3', 'credentials.json'))
    assert.equal((await stat(join(home, '.influxdb3'))).mode & 0o777, 0o700)
    assert.equal((await stat(store.path)).mode & 0o777, 0o600)
    const written = JSON.parse(await readFile(store.path, 'utf8')) as unknown
    assert.deepEqual(written, { servers: { [host]: session('ada') } })
  })

  it('tightens a directory made with a looser mode, and leaves no temporary file', async () => {
    await mkdir(join(home, '.influxdb3'), { mode: 0o755 })
    const store = new CredentialsStore(home)
    await store.save(host, session('ada'))
    await store.save(host, session('ada2'))

    assert.equal((await stat(join(home, '.influxdb3'))).mode & 0o777, 0o700)
    assert.deepEqual(await readdir(join(home, '.influxdb3')), ['credentials.json'])
  })

  it('removes one host and leaves the others; removing a missing one is harmless', async () => {
    const store = new CredentialsStore(home)
    await store.save(host, session('ada'))
    await store.save('https://db.example.com', session('grace'))

    await store.remove(host)
    await store.remove(host)
    await new CredentialsStore(join(home, 'nobody')).remove(host)

    assert.equal(await store.load(host), undefined)
    assert.deepEqual(await store.load('https://db.example.com'), session('grace'))
  })

  it('keeps oauth sessions, with their provider details, beside password sessions', async () => {
    const store = new CredentialsStore(home)
    await store.save(host, oauthSession('ada-0001'))
    await store.save('https://db.example.com', session('grace'))

    const loaded = await new CredentialsStore(home).load(host)
    assert.deepEqual(loaded, oauthSession('ada-0001'))
    assert.deepEqual(await store.load('https://db.example.com'), session('grace'))
    const written = JSON.parse(await readFile(store.path, 'utf8')) as {
      servers: Record<string, { authType: string }>
    }
    assert.equal(written.servers[host]?.authType, 'oauth')
    assert.equal(written.servers['https://db.example.com']?.authType, 'basic')
  })

  it('refuses a damaged file without quoting what it holds', async () => {
    await mkdir(join(home, '.influxdb3'))
    await writeFile(join(home, '.influxdb3', 'credentials.json'), '{"servers": fgrt_secret')

    await assert.rejects(new CredentialsStore(home).load(host), (error: Error) => {
      assert.match(error.message, /credentials\.json is not valid JSON/)
      assert.doesNotMatch(error.message, /fgrt_secret/)
      return true
    })
  })
})
