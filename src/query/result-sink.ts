/**
 * Where a streamed query result goes: the HTTP layer adapts a response (see `writableSink`),
 * tests collect the text.
 */
export interface ResultSink {
  /**
   * Takes the next piece of the body, in order. Resolves once the sink can take more, so a slow
   * reader slows the query down instead of filling memory; rejects when the destination is gone.
   */
  write(text: string): Promise<void>
}
