/**
 * Statements through the extended query protocol, pipelined in one round trip: for each, Parse, Bind, (Describe,)
 * Execute(limit); then one Sync. Works for every kind of statement (SELECT, VALUES, TABLE, SHOW, INSERT …
 * RETURNING, DDL), keeps the server's error positions, and binds parameters server-side. Until the Sync the
 * statements form one implicit transaction (or run inside the caller's explicit one), and the first error makes the
 * server skip the rest up to the Sync, so a pipeline is all-or-nothing like a transaction.
 *
 * Why not `DECLARE … CURSOR` + `FETCH`: DECLARE only accepts SELECT/VALUES, so the engine would have to decide
 * from the SQL text which statements may be wrapped. The protocol-level portal *is* a cursor: with a row limit
 * in Execute the server runs the executor only until that many rows are produced, then answers PortalSuspended;
 * the portal is never executed again (it goes with the next Bind or the end of the transaction), so the rest is
 * never computed or sent. (This is what `pg-cursor` does; it is not a dependency of the api, and a single
 * bounded Execute is all this needs.)
 *
 * Values are requested in text format and handed over untouched (strings or null); callers convert them.
 *
 * This is a `pg` Submittable: the client calls `submit()` when it is this query's turn and then the `handle*`
 * methods as the backend's messages arrive — the same contract `pg.Query` and `pg-cursor` implement. Each step
 * ends with exactly one CommandComplete, PortalSuspended or EmptyQueryResponse, which is how answers are told
 * apart; pg itself sees one query with one ReadyForQuery.
 */
import type pg from 'pg';

/** The part of pg's (internal, untyped) Connection a Submittable drives. */
interface WireConnection {
  parse(message: { text: string; name?: string; types?: number[] }): void;
  bind(message: { portal?: string; statement?: string; values: (string | Buffer | null)[] }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  execute(message: { portal?: string; rows?: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
  readonly stream: { cork?: () => void; uncork?: () => void };
  /** pg's record of the named statements prepared on this connection (name → text), shared with pg.Query. */
  readonly parsedStatements: Record<string, string | undefined>;
}

export interface WireField {
  name: string;
  dataTypeID: number;
  /** OID of the relation the column is taken from, 0 for an expression. */
  tableID: number;
  /** Attribute number in that relation, 0 for an expression. */
  columnID: number;
}

export interface PipelineStep {
  text: string;
  values: readonly (string | Buffer | null)[];
  /** Rows to fetch at most; 0 runs the portal to completion. */
  limit: number;
  /** Whether to keep the (at most `limit`) rows; other steps discard theirs. */
  keepRows: boolean;
  /** Whether to ask for the row description (column names, types and sources). */
  describe: boolean;
  /**
   * Prepares the statement under this name on the connection, once, and binds it by name afterwards: parsed and
   * analysed once per connection instead of every time. The name must stand for this one text (e.g. its hash),
   * and only on connections where nothing deallocates it (DISCARD ALL, DEALLOCATE: pg's record would not know).
   */
  name?: string;
}

export interface PortalResult {
  /** Empty unless the step was described. */
  fields: WireField[];
  /** Raw text values of at most `limit` rows (none when rows are not kept). */
  rows: (string | null)[][];
  /** Rows received, kept or not. */
  received: number;
  /** The portal still had rows when the limit was reached. */
  suspended: boolean;
  /** The command tag, e.g. "INSERT 0 3"; null when the portal was suspended or the statement was empty. */
  commandTag: string | null;
}

const COPY_REFUSED = 'COPY FROM STDIN is not supported by AccessFlow';

/** COPY … FROM STDIN: there is no client data to send. */
export class CopyRefusedError extends Error {
  readonly code = '0A000'; // feature_not_supported
  constructor() {
    super(COPY_REFUSED);
    this.name = 'CopyRefusedError';
  }
}

const emptyResult = (): PortalResult => ({ fields: [], rows: [], received: 0, suspended: false, commandTag: null });

export class Pipeline implements pg.Submittable {
  /** Set by `run` before `client.query(this)`; pg wraps it for `query_timeout` when that is configured. */
  callback: ((error: Error | null, results?: PortalResult[]) => void) | undefined;

  readonly #steps: readonly PipelineStep[];
  readonly #results: PortalResult[];
  /** The step whose answers are arriving. */
  #current = 0;
  #done = false;
  #copyRefused = false;
  /** Named statements this pipeline prepares, recorded as prepared once their step has completed. */
  #preparing = new Map<number, { name: string; text: string }>();
  #connection: WireConnection | null = null;

  constructor(steps: readonly PipelineStep[]) {
    if (steps.length === 0) throw new TypeError('a pipeline needs at least one statement');
    this.#steps = steps;
    this.#results = steps.map(emptyResult);
  }

  /** Runs it on `client`; resolves with one result per step once the backend is ready for the next query. */
  static run(client: pg.PoolClient | pg.Client, pipeline: Pipeline): Promise<PortalResult[]> {
    return new Promise((resolve, reject) => {
      pipeline.callback = (error, results) => (error !== null || results === undefined ? reject(error ?? new Error('no result')) : resolve(results));
      void client.query(pipeline);
    });
  }

  /**
   * True when the pipeline failed while preparing a named statement: whether the server kept it is unknown, so
   * the connection must not be reused (preparing the name again would fail).
   */
  get leftUnknownStatements(): boolean {
    return this.#preparing.size > 0;
  }

  submit(connection: pg.Connection): void {
    const wire = connection as unknown as WireConnection;
    this.#connection = wire;
    wire.stream.cork?.();
    try {
      for (const [index, step] of this.#steps.entries()) {
        const name = step.name ?? '';
        if (name === '' || wire.parsedStatements[name] !== step.text) {
          wire.parse({ text: step.text, name, types: [] });
          if (name !== '') this.#preparing.set(index, { name, text: step.text });
        }
        wire.bind({ portal: '', statement: name, values: [...step.values] });
        if (step.describe) wire.describe({ type: 'P', name: '' });
        wire.execute({ portal: '', rows: step.limit });
      }
      // No Close: a suspended unnamed portal is never executed further and ends with the transaction (or the
      // next Bind); a Close here would also break COPY, which must see nothing but copy messages until it ends.
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
  }

  /** Ends the query early with `error` (the watchdog); later messages are ignored. */
  abort(error: Error): void {
    this.#finish(error);
  }

  handleRowDescription(message: { fields: WireField[] }): void {
    const result = this.#results[this.#current];
    if (result) result.fields = message.fields.map(({ name, dataTypeID, tableID, columnID }) => ({ name, dataTypeID, tableID, columnID }));
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    const step = this.#steps[this.#current];
    const result = this.#results[this.#current];
    if (!step || !result) return;
    result.received += 1;
    if (step.keepRows && (step.limit === 0 || result.rows.length < step.limit)) result.rows.push(message.fields);
  }

  handlePortalSuspended(): void {
    // The rest of this portal is never computed: the next Bind or the end of the transaction closes it.
    const result = this.#results[this.#current];
    if (result) result.suspended = true;
    this.#stepDone();
  }

  handleCommandComplete(message: { text: string }): void {
    const result = this.#results[this.#current];
    if (result) result.commandTag = message.text;
    this.#stepDone();
  }

  handleEmptyQuery(): void {
    // An empty statement: no rows, no tag.
    this.#stepDone();
  }

  /** The current step has its answer: a statement it prepared exists on the server from now on. */
  #stepDone(): void {
    const prepared = this.#preparing.get(this.#current);
    if (prepared && this.#connection) {
      this.#connection.parsedStatements[prepared.name] = prepared.text;
      this.#preparing.delete(this.#current);
    }
    this.#current += 1;
  }

  handleError(error: Error): void {
    // The server's answer to our CopyFail is a query_canceled error; report what really happened instead.
    this.#finish(this.#copyRefused ? new CopyRefusedError() : error);
  }

  handleReadyForQuery(): void {
    this.#finish(null);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    // The Sync sent with Execute was ignored in copy-in mode: a new one ends the failed COPY.
    this.#copyRefused = true;
    const wire = connection as unknown as WireConnection;
    wire.sendCopyFail(COPY_REFUSED);
    wire.sync();
  }

  handleCopyData(): void {
    // COPY TO STDOUT data is not part of the result.
  }

  #finish(error: Error | null): void {
    if (this.#done) return;
    this.#done = true;
    const callback = this.callback;
    if (callback === undefined) return;
    if (error !== null) callback(error);
    else callback(null, this.#results);
  }
}
