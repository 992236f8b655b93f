// The part of @seald-io/nedb's internal model module the local cloud uses (it ships no typings).
declare module '@seald-io/nedb/lib/model.js' {
  const model: {
    match(obj: unknown, query: unknown): boolean;
    getDotValue(obj: unknown, field: string): unknown;
    compareThings(a: unknown, b: unknown): number;
  };
  export default model;
}

// nedb's index (an AVL tree per field or compound key) and its file helpers.
declare module '@seald-io/nedb/lib/indexes.js' {
  class Index {
    constructor(options: { fieldName: string; unique?: boolean; sparse?: boolean });
    fieldName: string;
    unique: boolean;
    sparse: boolean;
    insert(docs: unknown): void;
  }
  export default Index;
}
declare module '@seald-io/nedb/lib/storage.js' {
  const storage: { ensureDatafileIntegrityAsync(filename: string, mode?: number): Promise<void> };
  export default storage;
}

// nedb's persistence (the append of each write to the data file); scripts/store-writes.ts meters it.
declare module '@seald-io/nedb/lib/persistence.js' {
  class Persistence {
    persistNewStateAsync(docs: unknown[]): Promise<void>;
  }
  export default Persistence;
}
