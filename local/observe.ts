// `GET /observe` for a benchmark in another process (`OBSERVE=1 npm start`, `startLocalCloud({ observeEndpoint })`):
// the observe hook's records kept in memory, bounded, handed over and forgotten on each GET, with the
// process's memory. Only reads keep their request body (a benchmark replays them); writes keep none,
// so a bulk load does not hold its documents twice.
import type { DataCallRecord } from './data-api';
import type { InvocationRecord } from './functions';

const MAX_RECORDS = 20_000;

export interface ObserveDrain {
  invocations: InvocationRecord[];
  dataCalls: DataCallRecord[];
  /** Records dropped since the last GET because more than MAX_RECORDS piled up. */
  dropped: number;
  memory: NodeJS.MemoryUsage;
}

export class ObserveBuffer {
  private invocations: InvocationRecord[] = [];
  private dataCalls: DataCallRecord[] = [];
  private dropped = 0;

  constructor(private readonly also?: { dataCall?: (r: DataCallRecord) => void; invocation?: (r: InvocationRecord) => void }) {}

  readonly hooks = {
    dataCall: (r: DataCallRecord) => {
      this.also?.dataCall?.(r);
      const read = r.action === 'database.getDocument' || r.action === 'database.calculateDocument';
      this.keep(this.dataCalls, read ? r : { ...r, body: undefined });
    },
    invocation: (r: InvocationRecord) => {
      this.also?.invocation?.(r);
      this.keep(this.invocations, r);
    },
  };

  drain(): ObserveDrain {
    const out = {
      invocations: this.invocations,
      dataCalls: this.dataCalls,
      dropped: this.dropped,
      memory: process.memoryUsage(),
    };
    this.invocations = [];
    this.dataCalls = [];
    this.dropped = 0;
    return out;
  }

  private keep<T>(list: T[], r: T): void {
    if (list.length >= MAX_RECORDS) {
      list.shift();
      this.dropped += 1;
    }
    list.push(r);
  }
}
