import { once } from "node:events";
import { crc32, createDeflateRaw, deflateRawSync, type DeflateRaw } from "node:zlib";

/**
 * A zip file (PKWARE APPNOTE 6.3: local headers, deflated data, central directory) written with
 * Node's native zlib. fflate's zipSync compresses in JavaScript: the archive of a 100,000-task run
 * holds a 190 MB event log, which took it most of 10 s; native deflate does it in well under one.
 * A file may come in chunks (the event log is built 20,000 lines at a time, never as one string).
 * No zip64: refused above 4 GiB, which the archive's 64 MiB data limit keeps far away.
 */
export interface ZipEntry {
  name: string;
  data: Uint8Array | readonly Uint8Array[] | DeflatedFile;
}

/** A file compressed already (DeflateWriter): its CRC-32, its size and its raw deflate stream. */
export interface DeflatedFile {
  crc: number;
  size: number;
  packed: Buffer;
}

/**
 * Compresses a file as it is written, on libuv's thread pool: the event log of a big run is
 * deflated while the next slices of it are read and folded, and only its compressed bytes are
 * kept (16 MB instead of 190 MB for a 100,000-task run).
 */
export class DeflateWriter {
  private readonly z: DeflateRaw;
  private readonly out: Buffer[] = [];
  private crc = 0;
  private size = 0;
  constructor(level = 1) {
    this.z = createDeflateRaw({ level });
    this.z.on("data", (b: Buffer) => this.out.push(b));
  }
  async write(chunk: Buffer): Promise<void> {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    this.z.write(chunk);
    // wait for the thread pool only when it is far behind: waiting at the stream's 16 kB mark
    // would make reading wait for every slice's compression instead of overlapping with it
    if (this.z.writableLength > QUEUE_BYTES) await once(this.z, "drain");
  }
  async end(): Promise<DeflatedFile> {
    const done = once(this.z, "end");
    this.z.end();
    await done;
    return { crc: this.crc, size: this.size, packed: Buffer.concat(this.out) };
  }
}

const isDeflated = (d: ZipEntry["data"]): d is DeflatedFile => "packed" in d;

const LIMIT = 0xffff_fff0;
const QUEUE_BYTES = 32 * 2 ** 20;

/** MS-DOS date and time of `d` (local fields, as unzip shows them). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function deflated(d: ZipEntry["data"], level: number): DeflatedFile {
  if (isDeflated(d)) return d;
  const chunks = d instanceof Uint8Array ? [d] : d;
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return { crc: crc32(raw), size: raw.length, packed: deflateRawSync(raw, { level }) };
}

export function zipFiles(entries: readonly ZipEntry[], opts: { level?: number; now?: Date } = {}): Buffer {
  if (entries.length > 0xffff) throw new Error("more files than a zip without zip64 holds");
  const { time, date } = dosTime(opts.now ?? new Date());
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const { crc, size, packed } = deflated(e.data, opts.level ?? 6);
    const name = Buffer.from(e.name, "utf8");
    if (size > LIMIT || offset + packed.length > LIMIT)
      throw new Error(`the archive would exceed 4 GiB at ${e.name}`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(time, 12);
    dir.writeUInt16LE(date, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal and external attributes: 0
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    parts.push(local, name, packed);
    offset += local.length + name.length + packed.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
