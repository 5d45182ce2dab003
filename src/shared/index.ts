export { systemClock, frozenClock } from './clock.js'
export type { Clock, FrozenClock } from './clock.js'
