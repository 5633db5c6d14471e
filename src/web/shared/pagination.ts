/**
 * GOV.UK pagination (govukPagination's params) for a list at `path` with the query `params` (without page):
 * previous and next links, the first and last page, and the pages around the current one, with ellipses.
 * Undefined when everything fits on one page.
 */
export function paginationFor(
  path: string,
  params: URLSearchParams,
  page: number,
  pages: number,
): Record<string, unknown> | undefined {
  if (pages <= 1) return undefined;
  const href = (n: number) => {
    const query = new URLSearchParams(params);
    query.delete("page");
    if (n > 1) query.set("page", String(n));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  const numbers = [...shown].sort((a, b) => a - b);
  const items: Array<Record<string, unknown>> = [];
  numbers.forEach((n, index) => {
    const previous = numbers[index - 1];
    if (previous !== undefined && n - previous > 1) items.push({ ellipsis: true });
    items.push({ number: String(n), href: href(n), current: n === page });
  });
  return {
    items,
    ...(page > 1 && { previous: { href: href(page - 1) } }),
    ...(page < pages && { next: { href: href(page + 1) } }),
    landmarkLabel: "Pages of results",
  };
}
