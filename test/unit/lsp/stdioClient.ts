import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers';
import { readLspMessages } from './lspFraming';

/** A minimal LSP client over stdio: Content-Length framed JSON-RPC, as any editor speaks it. */
export class StdioClient {
  private readonly waiting: { accept: (message: any) => boolean; resolve: (message: any) => void }[] = [];
  readonly child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });

  constructor() {
    readLspMessages(this.child.stdout, (message) => {
      const index = this.waiting.findIndex((w) => w.accept(message));
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
    });
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  next(accept: (message: any) => boolean): Promise<any> {
    return new Promise((resolve) => this.waiting.push({ accept, resolve }));
  }
}
