/** Below this length a list is rebuilt at its exact size on insert (see insertAt). */
const SMALL_LIST = 16;

/**
 * `list` with `value` inserted at `at`. A small list is copied into an array of exactly the new
 * length: V8 gives a pushed-to array room for 17 entries at once, and most users and sources
 * only ever hold one or two, so exact sizes keep their state several times smaller.
 */
export function insertAt<T>(list: T[], at: number, value: T): T[] {
  const n = list.length;
  if (n >= SMALL_LIST) {
    if (at === n) list.push(value);
    else list.splice(at, 0, value);
    return list;
  }
  const next = new Array<T>(n + 1);
  for (let k = 0; k < at; k++) next[k] = list[k] as T;
  next[at] = value;
  for (let k = at; k < n; k++) next[k + 1] = list[k] as T;
  return next;
}
