import { fileURLToPath } from 'node:url'

import { loadSync } from '@grpc/proto-loader'
import type { AnyDefinition, ServiceDefinition } from '@grpc/proto-loader'

// tsc copies no .proto file into dist/, so the file is read from the source tree: both
// src/flight/ (run through tsx) and dist/flight/ (the build) sit two folders below the root.
const protoFile = fileURLToPath(new URL('../../src/flight/flight.proto', import.meta.url))
const serviceName = 'arrow.flight.protocol.FlightService'

let loaded: ServiceDefinition | undefined

/**
 * The `FlightService` of `flight.proto` as grpc-js takes it, for the server and for test
 * clients. Field names keep the protocol's snake case (`data_header`, `data_body`) and bytes
 * arrive as Buffers.
 */
export function flightServiceDefinition(): ServiceDefinition {
  loaded ??= loadService()
  return loaded
}

function loadService(): ServiceDefinition {
  const definitions = loadSync(protoFile, { keepCase: true, longs: String, defaults: true })
  const service = definitions[serviceName]
  if (service === undefined || !isService(service)) {
    throw new Error(`${protoFile} defines no ${serviceName}`)
  }
  return service
}

// Message and enum definitions carry a `format`; a service is a map of methods.
function isService(definition: AnyDefinition): definition is ServiceDefinition {
  return !('format' in definition)
}
