import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

import { calculateJwkThumbprint, exportJWK } from 'jose'
import type { JWK } from 'jose'

import { FluxgateError } from '../errors/index.js'

const minimumModulusBits = 2048

/** The RSA key that signs Fluxgate's access tokens, with its public half and key id. */
export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  /** The public key as a JWK, for `/.well-known/jwks.json`. */
  jwk: JWK
}

/** Where a signing key comes from: PEM text, a PEM file, or a file the server creates. */
export type SigningKeySource =
  | { kind: 'pem'; pem: string; flag: string }
  | { kind: 'file'; path: string; flag: string }
  | { kind: 'generated'; path: string }
  /** A key made for this run only, for servers that keep nothing on disk. */
  | { kind: 'ephemeral' }

/**
 * Loads the signing key, PKCS#1 (`BEGIN RSA PRIVATE KEY`) and PKCS#8 alike, and proves it by
 * signing and verifying a probe. A key that cannot sign stops the start (ERR_CONFIG naming the
 * flag): unreadable, encrypted without a passphrase, not RSA, or under 2048 bits. With no key
 * given, one is created once in the data directory (mode 0600) and reused.
 */
export async function loadSigningKey(
  source: SigningKeySource,
  keyId?: string,
): Promise<SigningKey> {
  const flag = 'flag' in source ? source.flag : 'the generated signing key'
  const privateKey = parsePrivateKey(readPem(source), flag)
  assertUsableRsaKey(privateKey, flag)

  const publicKey = createPublicKey(privateKey)
  proveSigning(privateKey, publicKey, flag)

  const jwk = await exportJWK(publicKey)
  const kid = keyId ?? (await calculateJwkThumbprint(jwk))
  return { kid, privateKey, publicKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } }
}

function readPem(source: SigningKeySource): string {
  if (source.kind === 'pem') return source.pem
  if (source.kind === 'generated') return readOrCreate(source.path)
  if (source.kind === 'ephemeral') return newKeyPem()

  try {
    return readFileSync(source.path, 'utf8')
  } catch (error) {
    throw new FluxgateError(
      'ERR_CONFIG',
      `${source.flag}: cannot read ${source.path}: ${(error as Error).message}`,
    )
  }
}

function readOrCreate(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8')

  const pem = newKeyPem()
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, pem, { mode: 0o600, flag: 'wx' })
  return pem
}

function newKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 })
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

function parsePrivateKey(pem: string, flag: string): KeyObject {
  try {
    return createPrivateKey(pem)
  } catch (error) {
    const encrypted = pem.includes('ENCRYPTED')
    const reason = encrypted
      ? 'the key is encrypted and no passphrase can be given'
      : 'not a PEM private key'
    throw new FluxgateError('ERR_CONFIG', `${flag}: ${reason}`, { cause: error })
  }
}

function assertUsableRsaKey(key: KeyObject, flag: string): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new FluxgateError(
      'ERR_CONFIG',
      `${flag}: an RSA key is needed for RS256, got ${key.asymmetricKeyType ?? 'unknown'}`,
    )
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < minimumModulusBits) {
    throw new FluxgateError(
      'ERR_CONFIG',
      `${flag}: the RSA key has ${bits} bits; at least ${minimumModulusBits} are needed`,
    )
  }
}

/** A key that loads but cannot sign would fail every login later; find out now. */
function proveSigning(privateKey: KeyObject, publicKey: KeyObject, flag: string): void {
  const probe = Buffer.from('fluxgate signing probe')
  const signature = sign('sha256', probe, privateKey)
  if (!verify('sha256', probe, publicKey, signature)) {
    throw new FluxgateError('ERR_CONFIG', `${flag}: the key failed to sign and verify a probe`)
  }
}
