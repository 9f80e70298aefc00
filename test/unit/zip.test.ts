import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { crc32, type ZipEntry, zipStream } from "../../worker/people/zip";

async function zipped(entries: ZipEntry[]): Promise<Uint8Array> {
  async function* each() {
    yield* entries;
  }
  return new Uint8Array(await new Response(zipStream(each(), Date.UTC(2026, 10, 29, 12, 0, 0))).arrayBuffer());
}

async function* pieces(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

describe("the streaming ZIP writer", () => {
  it("computes the CRC-32 ZIP uses", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    const whole = crc32(new TextEncoder().encode("hello world"));
    expect(crc32(new TextEncoder().encode(" world"), crc32(new TextEncoder().encode("hello")))).toBe(whole);
  });

  it("writes deflated and stored entries that fflate and Python read back byte for byte", async () => {
    const binary = new Uint8Array(70_000).map((_, i) => (i * 7919) % 251);
    const text = '{"a":1}\n'.repeat(5_000);
    const archive = await zipped([
      { name: "tickets.ndjson", data: pieces(text.slice(0, 1000), text.slice(1000)), compress: true },
      { name: "files/t1/a1", data: binary, compress: false },
      { name: "пустой.json", data: "", compress: true },
    ]);
    const files = unzipSync(archive);
    expect(new TextDecoder().decode(files["tickets.ndjson"])).toBe(text);
    expect(files["files/t1/a1"]).toEqual(binary);
    expect(files["пустой.json"]).toEqual(new Uint8Array());
    // Deflate did its job on the text.
    expect(archive.length).toBeLessThan(binary.length + text.length / 10);

    const dir = mkdtempSync(join(tmpdir(), "zip-"));
    writeFileSync(join(dir, "a.zip"), archive);
    const listed = execFileSync("python3", [
      "-c",
      "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print('\\n'.join(f'{i.filename} {i.file_size}' for i in z.infolist()))",
      join(dir, "a.zip"),
    ]).toString();
    expect(listed.trim().split("\n")).toEqual([`tickets.ndjson ${text.length}`, "files/t1/a1 70000", "пустой.json 0"]);
  });

  it("switches to ZIP64 end records past 65,535 entries", async () => {
    const entries: ZipEntry[] = Array.from({ length: 70_000 }, (_, i) => ({
      name: `e/${i}`,
      data: String(i),
      compress: false,
    }));
    const archive = await zipped(entries);
    const files = unzipSync(archive);
    expect(Object.keys(files)).toHaveLength(70_000);
    expect(new TextDecoder().decode(files["e/69999"])).toBe("69999");
    const dir = mkdtempSync(join(tmpdir(), "zip-"));
    writeFileSync(join(dir, "big.zip"), archive);
    const count = execFileSync("python3", [
      "-c",
      "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);print(len(z.infolist()), z.read('e/65536').decode())",
      join(dir, "big.zip"),
    ]).toString();
    expect(count.trim()).toBe("70000 65536");
  });

  it("fails the stream when an entry's source fails, so a broken archive never looks whole", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1, 2, 3]);
      throw new Error("R2 went away");
    }
    await expect(zipped([{ name: "x", data: failing(), compress: true }])).rejects.toThrow("R2 went away");
  });
});
