import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { GroupCommitSink, type EventRow } from './sink';

const LIVE_NAME = 'audit.log';

/**
 * JSON lines in DIR/audit.log, one Event per line, fsynced before a batch is acknowledged, rotated
 * by size to audit-<UTC time>.log as kube-apiserver's own log backend names its backups (so
 * `k8s-audit load --with-rotated DIR/audit.log` and the viewer read the set in order). A write that
 * fails midway is cut back, so a line is either whole or absent.
 */
export class FileSink extends GroupCommitSink {
  readonly name: string;
  private handle: FileHandle | undefined;
  private size = 0;

  private constructor(
    private readonly dir: string,
    private readonly rotateBytes: number,
    maxBacklog: number,
  ) {
    super(maxBacklog);
    this.name = `files in ${dir}`;
  }

  static async open(dir: string, rotateBytes: number, maxBacklog: number): Promise<FileSink> {
    await mkdir(dir, { recursive: true });
    const sink = new FileSink(dir, rotateBytes, maxBacklog);
    await sink.openLive();
    return sink;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async openLive(): Promise<void> {
    this.handle = await open(join(this.dir, LIVE_NAME), 'a');
    this.size = (await this.handle.stat()).size;
  }

  protected async store(rows: EventRow[]): Promise<void> {
    const bytes = Buffer.from(`${rows.map((row) => row.raw).join('\n')}\n`, 'utf8');
    const handle = this.handle ?? (await this.openLive(), this.handle!);
    const before = this.size;
    try {
      for (let written = 0; written < bytes.length; ) written += (await handle.write(bytes, written, bytes.length - written, before + written)).bytesWritten;
      await handle.datasync();
      this.size = before + bytes.length;
    } catch (error) {
      await handle.truncate(before).catch(() => undefined);
      throw error;
    }
    if (this.size >= this.rotateBytes) await this.rotate();
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    let time = Date.now();
    let target = join(this.dir, backupName(time));
    while (await exists(target)) target = join(this.dir, backupName(++time));
    await rename(join(this.dir, LIVE_NAME), target);
    // The rename must survive a crash as well as the data did.
    const folder = await open(this.dir, 'r');
    await folder.sync().finally(() => folder.close());
    await this.openLive();
  }
}

/** audit-2026-02-22T10-00-00.000.log, lumberjack's backup name for audit.log. */
function backupName(time: number): string {
  return `audit-${new Date(time).toISOString().replace(/:/g, '-').replace('Z', '')}.log`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
