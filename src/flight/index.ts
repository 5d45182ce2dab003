/**
 * The flight domain: Arrow Flight `DoGet` over gRPC on the HTTP port, with the JSON ticket the
 * InfluxDB 3 clients send, the same authentication and authorization as HTTP, and results
 * streamed as Arrow IPC record batches.
 */
export { createFlightServer } from './flight-server.js'
export type { FlightServer, FlightServerOptions } from './flight-server.js'
export { flightServiceDefinition } from './flight-service-definition.js'
export type { FlightData } from './flight-data-encoder.js'
