import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { status } from '@grpc/grpc-js'

import { FluxgateError } from '../errors/index.js'
import { flightStatusOf } from './flight-status.js'

describe('flightStatusOf', () => {
  it('maps error codes to gRPC codes with the public HTTP message', () => {
    const cases: Array<[FluxgateError, status, string]> = [
      [
        new FluxgateError('ERR_AUTH_UNAUTHENTICATED', 'expired'),
        status.UNAUTHENTICATED,
        'the request was not authenticated',
      ],
      [new FluxgateError('ERR_AUTH_MALFORMED'), status.UNAUTHENTICATED, ''],
      [
        new FluxgateError('ERR_AUTH_FORBIDDEN'),
        status.PERMISSION_DENIED,
        'unauthorized to perform requested action with the token',
      ],
      [
        new FluxgateError('ERR_QUERY_DATABASE_NOT_FOUND', 'nowhere'),
        status.NOT_FOUND,
        'query error: database not found: nowhere',
      ],
      [new FluxgateError('ERR_QUERY_INVALID', 'syntax'), status.INVALID_ARGUMENT, 'syntax'],
      [new FluxgateError('ERR_QUERY_NOT_READ_ONLY'), status.INVALID_ARGUMENT, ''],
      [new FluxgateError('ERR_QUERY_CANCELLED'), status.CANCELLED, 'query cancelled'],
      [new FluxgateError('ERR_SHUTTING_DOWN'), status.UNAVAILABLE, 'server is shutting down'],
    ]
    for (const [error, code, details] of cases) {
      const mapped = flightStatusOf(error)
      assert.equal(mapped.code, code, error.code)
      if (details !== '') assert.equal(mapped.details, details)
    }
  })

  it('keeps the detail of server faults and of unknown errors to the log', () => {
    assert.deepEqual(flightStatusOf(new FluxgateError('ERR_INTERNAL', 'disk /secret full')), {
      code: status.INTERNAL,
      details: 'internal error',
    })
    assert.deepEqual(flightStatusOf(new Error('apiv3_secret leaked?')), {
      code: status.INTERNAL,
      details: 'internal error',
    })
  })
})
