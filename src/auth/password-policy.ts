import { FluxgateError } from '../errors/index.js'
import { commonPasswords as commonPasswordList } from './internal/common-passwords.js'

/** The bounds of a password, in code points after NFKC normalization. */
export interface PasswordLimits {
  /** 15 by default; never below 8. */
  minLength: number
  /** Long passphrases are welcome; the cap only keeps hashing cheap. */
  maxLength: number
}

export const defaultPasswordLimits: PasswordLimits = { minLength: 15, maxLength: 256 }

const absoluteMinimum = 8
const commonPasswords = new Set(commonPasswordList)

/** Checks a configured minimum; throws ERR_CONFIG below 8. */
export function passwordLimits(
  minLength: number = defaultPasswordLimits.minLength,
): PasswordLimits {
  if (!Number.isSafeInteger(minLength) || minLength < absoluteMinimum) {
    throw new FluxgateError(
      'ERR_CONFIG',
      `--password-min-length: at least ${absoluteMinimum}, got ${minLength}`,
    )
  }
  return { ...defaultPasswordLimits, minLength }
}

/** NFKC, the only change made to a password before hashing. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

/**
 * Why a new password is refused, or undefined when it is acceptable. No composition rules: only
 * length, a list of common passwords, and words from the account's own context.
 */
export function passwordProblem(
  password: string,
  context: { username?: string; limits: PasswordLimits },
): string | undefined {
  const normalized = normalizePassword(password)
  const length = [...normalized].length
  const { minLength, maxLength } = context.limits
  if (length < minLength) return `the password needs at least ${minLength} characters`
  if (length > maxLength) return `the password may have at most ${maxLength} characters`

  const lower = normalized.toLowerCase()
  if (commonPasswords.has(lower)) return 'the password is on a list of commonly used passwords'
  if (containsContext(lower, context.username)) return 'the password must not contain the username'
  if (lower.includes('fluxgate') || lower.includes('influxdb')) {
    return 'the password must not contain the product name'
  }
  return undefined
}

function containsContext(password: string, username: string | undefined): boolean {
  const name = username?.toLowerCase().trim() ?? ''
  return name.length >= 3 && password.includes(name)
}
