// Cursor pagination over a list in a stable total order (a sequence number per record). The cursor
// holds the last position served, so records added between fetches never shift a page: nothing is
// skipped or repeated. Shape A answers {next_cursor, has_more}, Shape B {cursor, has_more} (docs,
// conventions; which list uses which shape is written in openapi.yaml, components.schemas).
import type { Cursors } from './cursor.ts';

export interface PageRequest {
  /** The page size. openapi.yaml gives every list's `limit` a default, which the validators apply. */
  limit?: number;
  cursor?: string;
}

export function paginate<T>(
  items: T[],
  seqOf: (item: T) => number,
  request: PageRequest,
  cursors: Cursors,
  list: string,
  direction: 'asc' | 'desc' = 'asc',
) {
  const { limit } = request;
  if (limit === undefined) throw new Error(`${list}: no page limit (openapi.yaml gives every limit parameter a default)`);
  const after = request.cursor ? Number(cursors.decode(list, request.cursor).after) : undefined;
  const ordered = [...items].sort((a, b) => (direction === 'asc' ? seqOf(a) - seqOf(b) : seqOf(b) - seqOf(a)));
  const rest = after === undefined ? ordered : ordered.filter((item) => (direction === 'asc' ? seqOf(item) > after : seqOf(item) < after));
  const page = rest.slice(0, limit);
  const has_more = rest.length > limit;
  const next = has_more && page.length ? cursors.encode(list, { after: seqOf(page[page.length - 1]) }) : null;
  return { page, has_more, next };
}
