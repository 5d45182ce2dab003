export { systemClock, frozenClock } from './clock.js'
export type { Clock, FrozenClock } from './clock.js'
export { uuidv7 } from './request-id.js'
