import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** The server's Prometheus metrics, one registry per server so tests can run several. */
export class HttpMetrics {
  readonly registry = new Registry()
  readonly requests: Counter<'method' | 'path' | 'status'>
  readonly latency: Histogram<'method' | 'path'>
  readonly linesWritten: Counter
  readonly linesRejected: Counter
  readonly queries: Counter<'language' | 'outcome'>

  constructor() {
    const registers = [this.registry]
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route and status',
      labelNames: ['method', 'path', 'status'],
      registers,
    })
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to complete answer',
      labelNames: ['method', 'path'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.linesWritten = new Counter({
      name: 'lines_written_total',
      help: 'Line-protocol lines stored',
      registers,
    })
    this.linesRejected = new Counter({
      name: 'lines_rejected_total',
      help: 'Line-protocol lines refused',
      registers,
    })
    this.queries = new Counter({
      name: 'queries_total',
      help: 'Queries run, by language and outcome',
      labelNames: ['language', 'outcome'],
      registers,
    })
    collectDefaultMetrics({ register: this.registry })
  }

  /** The Prometheus text exposition, ending with `# EOF` as the reference does. */
  async render(): Promise<string> {
    return `${await this.registry.metrics()}# EOF\n`
  }
}
