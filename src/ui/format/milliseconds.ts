/** Virtual time for people: `250 ms`, `1 s`, `1.5 s`. */
export function formatMilliseconds(milliseconds: number): string {
  return milliseconds >= 1000 && milliseconds % 100 === 0 ? `${milliseconds / 1000} s` : `${milliseconds} ms`;
}
