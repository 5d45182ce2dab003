import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isFluxgateError } from '../errors/index.js'
import { contentTypeOf, negotiateFormat } from './query-format-negotiator.js'

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

describe('negotiateFormat', () => {
  it('answers json without format and Accept, and for json or any type', () => {
    assert.equal(negotiateFormat(undefined, undefined), 'json')
    assert.equal(negotiateFormat(undefined, 'application/json'), 'json')
    assert.equal(negotiateFormat(undefined, '*/*'), 'json')
  })

  it('maps each Accept value of the reference to its format', () => {
    assert.equal(negotiateFormat(undefined, 'text/csv'), 'csv')
    assert.equal(negotiateFormat(undefined, 'text/plain'), 'pretty')
    assert.equal(negotiateFormat(undefined, 'application/vnd.apache.parquet'), 'parquet')
  })

  it('answers json for what browsers send', () => {
    assert.equal(negotiateFormat(undefined, browserAccept), 'json')
    assert.equal(negotiateFormat(undefined, 'text/html'), 'json')
    assert.equal(negotiateFormat(undefined, 'application/json, */*;q=0.5'), 'json')
  })

  it('lets format win over Accept', () => {
    assert.equal(negotiateFormat('pretty', browserAccept), 'pretty')
    assert.equal(negotiateFormat('csv', 'application/json'), 'csv')
    assert.equal(negotiateFormat('parquet', undefined), 'parquet')
    assert.equal(negotiateFormat('json', 'text/csv'), 'json')
  })

  it('accepts json_lines as another name for jsonl', () => {
    assert.equal(negotiateFormat('jsonl', undefined), 'jsonl')
    assert.equal(negotiateFormat('json_lines', undefined), 'jsonl')
  })

  it('rejects any other Accept with ERR_INVALID_MIME_TYPE, even when format is given', () => {
    for (const accept of ['application/xml', 'text/csv; charset=utf-8', 'TEXT/CSV', '']) {
      for (const format of [undefined, 'json']) {
        assert.throws(
          () => negotiateFormat(format, accept),
          (error) =>
            isFluxgateError(error, 'ERR_INVALID_MIME_TYPE') &&
            error.detail === `invalid mime type (${accept})`,
        )
      }
    }
  })

  it('rejects an unknown format with ERR_BAD_REQUEST naming the formats it knows', () => {
    for (const format of ['xml', 'JSON', '', 'toString']) {
      assert.throws(
        () => negotiateFormat(format, undefined),
        (error) =>
          isFluxgateError(error, 'ERR_BAD_REQUEST') &&
          error.detail ===
            `unknown variant \`${format}\`, expected one of ` +
              '`json`, `jsonl`, `json_lines`, `csv`, `pretty`, `parquet`',
      )
    }
  })
})

describe('contentTypeOf', () => {
  it('gives the content type of each format', () => {
    assert.equal(contentTypeOf('json'), 'application/json')
    assert.equal(contentTypeOf('jsonl'), 'application/jsonl')
    assert.equal(contentTypeOf('csv'), 'text/csv')
    assert.equal(contentTypeOf('pretty'), 'text/plain; charset=utf-8')
    assert.equal(contentTypeOf('parquet'), 'application/vnd.apache.parquet')
  })
})
