/**
 * Lower-case ASCII words joined by hyphens ("Children’s Services – Q2" → "childrens-services-q2"), for
 * council slugs and download file names; at most `max` characters, cut at a word where possible.
 */
export function slugify(text: string, max = Number.POSITIVE_INFINITY): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const lastHyphen = cut.lastIndexOf("-");
  return (lastHyphen > 10 ? cut.slice(0, lastHyphen) : slug.slice(0, max)).replace(/-+$/, "");
}
