// Node runs WebAssembly, but @types/node leaves its types to lib.dom, which the server does not load
// (it is no browser): the part of the API the field scanner (auditlog/reader/fieldScanner.ts) uses.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
}
