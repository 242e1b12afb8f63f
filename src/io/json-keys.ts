/**
 * Duplicate keys in JSON text. JSON.parse keeps the last of a repeated key without a
 * word; a file format that names its contents by key (a safetensors header) must not
 * be read two ways.
 */

export interface DuplicateKey {
  readonly key: string;
  /** The keys of the enclosing objects, outermost first ([] for the top level). */
  readonly path: readonly string[];
}

/** The first key repeated within one object of `json` (text JSON.parse accepts), or null. */
export function findDuplicateKey(json: string): DuplicateKey | null {
  // One frame per open object or array (null): the keys seen so far and the key it sits under.
  const stack: ({ keys: Set<string>; name: string } | null)[] = [];
  const path = () => stack.map((f) => (f ? f.name : '')).slice(1);
  let expectKey = false;
  let lastKey = '';
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      let j = i + 1;
      while (json.charCodeAt(j) !== 0x22) j += json.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && expectKey) {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, path: path() };
        top.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
      i = j;
    } else if (ch === 0x7b /* { */) {
      const parent = stack[stack.length - 1];
      stack.push({ keys: new Set(), name: parent ? lastKey : '' });
      expectKey = true;
    } else if (ch === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return null;
}
