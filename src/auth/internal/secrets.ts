import { hash, randomBytes } from 'node:crypto'

/** `bytes` CSPRNG bytes in unpadded base64url, after `prefix`: every secret Fluxgate hands out. */
export function randomSecret(bytes: number, prefix = ''): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`
}

/**
 * The SHA-256 of `text`. Each caller keeps the encoding its digests were always stored or
 * compared in, so that ids and cache keys stay what they were.
 */
export function sha256(text: string, encoding: 'hex' | 'base64url'): string {
  return hash('sha256', text, encoding)
}
