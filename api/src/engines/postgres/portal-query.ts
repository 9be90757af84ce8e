/**
 * One statement through the extended query protocol with a row limit: Parse, Bind, Describe, Execute(limit),
 * Sync — pipelined in one round trip, so it works for every kind of statement (SELECT, VALUES, TABLE, SHOW,
 * INSERT … RETURNING, DDL), keeps the server's error positions, and binds parameters server-side.
 *
 * Why not `DECLARE … CURSOR` + `FETCH`: DECLARE only accepts SELECT/VALUES, so the engine would have to decide
 * from the SQL text which statements may be wrapped. The protocol-level portal *is* a cursor: with a row limit
 * in Execute the server runs the executor only until that many rows are produced, then answers PortalSuspended;
 * the portal is never executed again (it goes with the next Bind or the end of the transaction), so the rest is
 * never computed or sent. (This is what `pg-cursor` does; it is not a dependency of the api, and a single
 * bounded Execute is all this needs.)
 *
 * Values are requested in text format and handed over untouched (strings or null); the engine converts them.
 *
 * This is a `pg` Submittable: the client calls `submit()` when it is this query's turn and then the `handle*`
 * methods as the backend's messages arrive — the same contract `pg.Query` and `pg-cursor` implement.
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
}

export interface WireField {
  name: string;
  dataTypeID: number;
  /** OID of the relation the column is taken from, 0 for an expression. */
  tableID: number;
  /** Attribute number in that relation, 0 for an expression. */
  columnID: number;
}

export interface PortalResult {
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

export class PortalQuery implements pg.Submittable {
  /** Set by the caller before `client.query(this)`; pg wraps it for `query_timeout` when that is configured. */
  callback: ((error: Error | null, result?: PortalResult) => void) | undefined;

  readonly #text: string;
  readonly #values: (string | Buffer | null)[];
  readonly #limit: number;
  readonly #keepRows: boolean;
  #fields: WireField[] = [];
  readonly #rows: (string | null)[][] = [];
  #received = 0;
  #suspended = false;
  #commandTag: string | null = null;
  #done = false;
  #copyRefused = false;

  /**
   * @param limit rows to fetch at most; 0 runs the portal to completion.
   * @param keepRows whether to keep the (at most `limit`) rows; intermediate statements discard theirs.
   */
  constructor(text: string, values: (string | Buffer | null)[], limit: number, keepRows: boolean) {
    this.#text = text;
    this.#values = values;
    this.#limit = limit;
    this.#keepRows = keepRows;
  }

  /** Runs it on `client`; resolves once the backend is ready for the next query. */
  static run(client: pg.PoolClient | pg.Client, query: PortalQuery): Promise<PortalResult> {
    return new Promise((resolve, reject) => {
      query.callback = (error, result) => (error !== null || result === undefined ? reject(error ?? new Error('no result')) : resolve(result));
      void client.query(query);
    });
  }

  submit(connection: pg.Connection): void {
    const wire = connection as unknown as WireConnection;
    wire.stream.cork?.();
    try {
      wire.parse({ text: this.#text, name: '', types: [] });
      wire.bind({ portal: '', statement: '', values: this.#values });
      wire.describe({ type: 'P', name: '' });
      wire.execute({ portal: '', rows: this.#limit });
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
    this.#fields = message.fields.map(({ name, dataTypeID, tableID, columnID }) => ({ name, dataTypeID, tableID, columnID }));
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    this.#received += 1;
    if (this.#keepRows && (this.#limit === 0 || this.#rows.length < this.#limit)) this.#rows.push(message.fields);
  }

  handlePortalSuspended(): void {
    // Sync was sent with Execute: the server answers ReadyForQuery; the rest of the portal is never computed.
    this.#suspended = true;
  }

  handleCommandComplete(message: { text: string }): void {
    this.#commandTag = message.text;
  }

  handleEmptyQuery(): void {
    // An empty statement: no rows, no tag.
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
    else {
      callback(null, {
        fields: this.#fields,
        rows: this.#rows,
        received: this.#received,
        suspended: this.#suspended,
        commandTag: this.#commandTag,
      });
    }
  }
}
