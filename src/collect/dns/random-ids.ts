import { randomFillSync } from 'node:crypto';

/**
 * Query IDs from the CSPRNG (RFC 5452 §9.2: IDs must be unpredictable), drawn from a block of
 * random bytes refilled when used up: one randomInt() call per query cost more than its use.
 */
export class RandomIds {
  private readonly bytes = Buffer.alloc(4096);
  private offset = this.bytes.length;

  next(): number {
    if (this.offset >= this.bytes.length) {
      randomFillSync(this.bytes);
      this.offset = 0;
    }
    const id = ((this.bytes[this.offset] as number) << 8) | (this.bytes[this.offset + 1] as number);
    this.offset += 2;
    return id;
  }
}
