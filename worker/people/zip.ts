/**
 * A streaming ZIP writer: entries go out one after the other as their bytes arrive, so an export
 * never holds more than the chunk in hand plus the central directory (one small record per entry).
 *
 * Our own rather than fflate's `Zip`: fflate writes no ZIP64 records (an archive over 4 GB or
 * 65,535 entries, which a large tenant's export reaches), and its push callbacks have no
 * backpressure; deflating is fflate's synchronous `Deflate`, pulled a chunk at a time. Each entry
 * has a data descriptor (general purpose bit 3: sizes and CRC after the data, as they are unknown
 * when its header goes out), UTF-8 names (bit 11), and ZIP64 fields wherever a size, an offset or
 * the entry count does not fit, as APPNOTE 6.3.9 §4.3.9 and §4.5.3 describe (the same layout as
 * Go's archive/zip).
 */

import { Deflate } from "fflate";

/** One file of the archive: its bytes as they come, deflated (text) or stored (files already compressed). */
export interface ZipEntry {
  name: string;
  data: Uint8Array | string | AsyncIterable<Uint8Array>;
  compress: boolean;
}

const U32 = 0xffffffff;
const encoder = new TextEncoder();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (the ZIP/PNG polynomial), continued from `crc` over `bytes`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A little-endian record builder. */
class Record {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(n: number): this {
    this.view.setUint16(this.at, n, true);
    this.at += 2;
    return this;
  }
  u32(n: number): this {
    this.view.setUint32(this.at, n >>> 0, true);
    this.at += 4;
    return this;
  }
  u64(n: number): this {
    this.view.setBigUint64(this.at, BigInt(n), true);
    this.at += 8;
    return this;
  }
  raw(b: Uint8Array): this {
    this.bytes.set(b, this.at);
    this.at += b.length;
    return this;
  }
  done(): Uint8Array {
    return this.bytes;
  }
}

/** MS-DOS date and time (local time of the archive is UTC here), as ZIP headers keep them. */
function dosTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((Math.max(d.getUTCFullYear(), 1980) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

async function* chunksOf(data: ZipEntry["data"]): AsyncGenerator<Uint8Array> {
  if (typeof data === "string") yield encoder.encode(data);
  else if (data instanceof Uint8Array) yield data;
  else for await (const chunk of data) if (chunk.length) yield chunk;
}

/** The bytes of a ReadableStream (an R2 object's body), as an async iterable. */
export async function* readAll(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value.length) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Deflates `source` with fflate's streaming `Deflate`: synchronous, so a chunk is read from D1 and
 * compressed only when the archive's reader asks for more, in every runtime; a CompressionStream
 * fed and drained concurrently relies on the runtime's transform backpressure to stay bounded.
 */
async function* deflateRaw(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const deflate = new Deflate({ level: 6 }, (chunk) => {
    if (chunk.length) out.push(chunk);
  });
  for await (const chunk of source) {
    deflate.push(chunk);
    yield* out.splice(0);
  }
  deflate.push(new Uint8Array(0), true);
  yield* out.splice(0);
}

interface Written {
  name: Uint8Array;
  compress: boolean;
  crc: number;
  size: number;
  compressedSize: number;
  offset: number;
}

function centralRecord(e: Written, stamp: { time: number; date: number }): Uint8Array {
  const zip64 = [e.size >= U32 && e.size, e.compressedSize >= U32 && e.compressedSize, e.offset >= U32 && e.offset];
  const wide = zip64.filter((v): v is number => v !== false);
  const extra = wide.length ? 4 + 8 * wide.length : 0;
  const r = new Record(46 + e.name.length + extra)
    .u32(0x02014b50)
    .u16(45) // made by: 4.5 (ZIP64)
    .u16(45) // needed: 4.5, as the local header says (sizes were unknown there)
    .u16(0x0808)
    .u16(e.compress ? 8 : 0)
    .u16(stamp.time)
    .u16(stamp.date)
    .u32(e.crc)
    .u32(Math.min(e.compressedSize, U32))
    .u32(Math.min(e.size, U32))
    .u16(e.name.length)
    .u16(extra)
    .u16(0) // comment
    .u16(0) // disk
    .u16(0) // internal attributes
    .u32(0) // external attributes
    .u32(Math.min(e.offset, U32))
    .raw(e.name);
  if (wide.length) {
    r.u16(0x0001).u16(8 * wide.length);
    for (const v of wide) r.u64(v);
  }
  return r.done();
}

function endRecords(count: number, cdOffset: number, cdSize: number): Uint8Array[] {
  const zip64 = count >= 0xffff || cdOffset >= U32 || cdSize >= U32;
  const out: Uint8Array[] = [];
  if (zip64) {
    const at = cdOffset + cdSize;
    out.push(
      new Record(56)
        .u32(0x06064b50)
        .u64(44)
        .u16(45)
        .u16(45)
        .u32(0)
        .u32(0)
        .u64(count)
        .u64(count)
        .u64(cdSize)
        .u64(cdOffset)
        .done(),
      new Record(20).u32(0x07064b50).u32(0).u64(at).u32(1).done(),
    );
  }
  out.push(
    new Record(22)
      .u32(0x06054b50)
      .u16(0)
      .u16(0)
      .u16(Math.min(count, 0xffff))
      .u16(Math.min(count, 0xffff))
      .u32(Math.min(cdSize, U32))
      .u32(Math.min(cdOffset, U32))
      .u16(0)
      .done(),
  );
  return out;
}

/** The archive's bytes, entry by entry, as the entries come. `now` stamps every entry. */
export async function* zipChunks(entries: AsyncIterable<ZipEntry>, now: number): AsyncGenerator<Uint8Array> {
  const stamp = dosTime(now);
  const central: Uint8Array[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = encoder.encode(entry.name);
    const header = new Record(30 + name.length)
      .u32(0x04034b50)
      .u16(45)
      .u16(0x0808)
      .u16(entry.compress ? 8 : 0)
      .u16(stamp.time)
      .u16(stamp.date)
      .u32(0) // CRC, sizes: in the data descriptor
      .u32(0)
      .u32(0)
      .u16(name.length)
      .u16(0)
      .raw(name)
      .done();
    const written: Written = { name, compress: entry.compress, crc: 0, size: 0, compressedSize: 0, offset };
    yield header;
    offset += header.length;
    async function* measured(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunksOf(entry.data)) {
        written.crc = crc32(chunk, written.crc);
        written.size += chunk.length;
        yield chunk;
      }
    }
    for await (const chunk of entry.compress ? deflateRaw(measured()) : measured()) {
      written.compressedSize += chunk.length;
      yield chunk;
    }
    offset += written.compressedSize;
    const wide = written.size >= U32 || written.compressedSize >= U32;
    const descriptor = wide
      ? new Record(24).u32(0x08074b50).u32(written.crc).u64(written.compressedSize).u64(written.size).done()
      : new Record(16).u32(0x08074b50).u32(written.crc).u32(written.compressedSize).u32(written.size).done();
    yield descriptor;
    offset += descriptor.length;
    central.push(centralRecord(written, stamp));
  }
  let cdSize = 0;
  for (const record of central) {
    yield record;
    cdSize += record.length;
  }
  yield* endRecords(central.length, offset, cdSize);
}

/** The archive as a byte stream that produces the next chunk only when the reader asks (a Response body). */
export function zipStream(entries: AsyncIterable<ZipEntry>, now: number): ReadableStream<Uint8Array> {
  const chunks = zipChunks(entries, now);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
