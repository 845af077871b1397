import type { Readable } from 'node:stream';

/** Calls `onMessage` with each JSON-RPC message read from a language server's stdout (Content-Length framing). */
export function readLspMessages(stdout: Readable, onMessage: (message: any) => void): void {
  let buffer = Buffer.alloc(0);
  stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())![1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      buffer = buffer.subarray(headerEnd + 4 + length);
      onMessage(message);
    }
  });
}
