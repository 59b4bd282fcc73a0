import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';

/** Writes a file piece by piece, waiting for the stream to drain so memory stays flat. */
export class StreamFile {
  private constructor(private readonly out: WriteStream) {}

  static async open(file: string): Promise<StreamFile> {
    await mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    return new StreamFile(out);
  }

  async write(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'close');
  }
}

/** A `{"value": [...]}` collection written item by item, one item per line. */
export class CollectionFile {
  private count = 0;
  private constructor(private readonly file: StreamFile) {}

  static async open(file: string, header: Readonly<Record<string, unknown>> = {}): Promise<CollectionFile> {
    const stream = await StreamFile.open(file);
    const opened = new CollectionFile(stream);
    const prefix = Object.entries(header)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},\n`)
      .join('');
    await stream.write(`{${prefix}"value":[\n`);
    return opened;
  }

  async add(item: unknown): Promise<void> {
    await this.file.write(`${this.count === 0 ? '' : ',\n'}${JSON.stringify(item)}`);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  async close(): Promise<number> {
    await this.file.write('\n]}\n');
    await this.file.close();
    return this.count;
  }
}
