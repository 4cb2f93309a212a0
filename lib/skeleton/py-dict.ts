/**
 * Key order of the original's JSON form. The library serialised its objects with
 * `d = {'class': name}; d.update(obj.__dict__)` under Python 2.7, whose dicts iterate in hash
 * table order. That order follows from the keys, their insertion order and the table's resize
 * history, so it is simulated here rather than hard-coded: the same simulation that yields the
 * orders seen in the golden files also yields the one for stages that `resolve_iteration`
 * deep-copied (their `__dict__` was rebuilt by `copy.deepcopy`, which changes the order).
 * Model: CPython 2.7 `string_hash` (64-bit, no hash randomisation), open addressing with
 * `i = 5i + perturb + 1; perturb >>= 5`, PyDict_SetItem's growth (×4 when 2/3 full) and
 * PyDict_Merge's single up-front resize.
 */
const MASK64 = (1n << 64n) - 1n;

export function pyStringHash(s: string): bigint {
  // attribute names are ASCII, so a character is a byte of the Python 2 str
  const bytes = Array.from(s, (c) => BigInt(c.charCodeAt(0) & 0xff));
  if (bytes.length === 0) return 0n;
  let x = (bytes[0]! << 7n) & MASK64;
  for (const b of bytes) x = ((1000003n * x) & MASK64) ^ b;
  x ^= BigInt(bytes.length);
  return x === MASK64 ? MASK64 - 1n : x; // -1 is reserved: it becomes -2
}

interface Entry {
  key: string;
  hash: bigint;
}

class PyDict {
  private table: (Entry | null)[] = new Array<Entry | null>(8).fill(null);
  private used = 0;

  private slotFor(hash: bigint): number {
    const mask = BigInt(this.table.length - 1);
    let i = hash & mask;
    let perturb = hash;
    while (this.table[Number(i & mask)] !== null) {
      i = ((i << 2n) + i + perturb + 1n) & MASK64;
      perturb >>= 5n;
    }
    return Number(i & mask);
  }

  private place(e: Entry): void {
    this.table[this.slotFor(e.hash)] = e;
    this.used += 1;
  }

  private resize(minUsed: number): void {
    let size = 8;
    while (size <= minUsed) size <<= 1;
    const old = this.table;
    this.table = new Array<Entry | null>(size).fill(null);
    this.used = 0;
    for (const e of old) if (e) this.place(e);
  }

  private has(key: string): boolean {
    return this.table.some((e) => e?.key === key);
  }

  /** `d[key] = …` (no deletions happen here, so fill = used) */
  set(key: string): this {
    if (this.has(key)) return this;
    this.place({ key, hash: pyStringHash(key) });
    if (this.used * 3 >= this.table.length * 2) this.resize((this.used > 50000 ? 2 : 4) * this.used);
    return this;
  }

  /** `d.update(other)` */
  merge(other: PyDict): this {
    if (other.used === 0) return this;
    if ((this.used + other.used) * 3 >= this.table.length * 2) this.resize((this.used + other.used) * 2);
    for (const e of other.table) if (e && !this.has(e.key)) this.place(e);
    return this;
  }

  keys(): string[] {
    return this.table.filter((e): e is Entry => e !== null).map((e) => e.key);
  }
}

function build(keys: readonly string[]): PyDict {
  const d = new PyDict();
  for (const k of keys) d.set(k);
  return d;
}

/** `copy.deepcopy(obj)`: the state dict is copied key by key, then merged into an empty `__dict__`. */
function deepCopied(d: PyDict): PyDict {
  return new PyDict().merge(build(d.keys()));
}

/**
 * The order in which `json.dumps` printed an object whose attributes were assigned in
 * `assignmentOrder`, optionally after a `copy.deepcopy`.
 */
export function pyJsonKeyOrder(assignmentOrder: readonly string[], deepCopy = false): string[] {
  const attrs = build(assignmentOrder);
  return new PyDict()
    .set("class")
    .merge(deepCopy ? deepCopied(attrs) : attrs)
    .keys();
}
