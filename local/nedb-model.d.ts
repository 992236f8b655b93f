// The part of @seald-io/nedb's internal model module the local cloud uses (it ships no typings).
declare module '@seald-io/nedb/lib/model.js' {
  const model: {
    match(obj: unknown, query: unknown): boolean;
    getDotValue(obj: unknown, field: string): unknown;
    compareThings(a: unknown, b: unknown): number;
  };
  export default model;
}
