// Binary search over arrays kept in ascending order, so pages, feeds and counts cost O(log n) to find
// their place instead of a scan of everything stored.

/** Index of the first element whose key is greater than `value` (arr.length when none is). */
export function indexAfter<T>(arr: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(arr[mid]) > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const self = (n: number) => n;

/** How many numbers in the ascending array are greater than `value`. */
export const countAfter = (arr: readonly number[] | undefined, value: number) => (arr ? arr.length - indexAfter(arr, value, self) : 0);

/** Inserts a number keeping the array ascending. */
export function insertSorted(arr: number[], value: number) {
  arr.splice(indexAfter(arr, value, self), 0, value);
}
