/**
 * The README's generated sections: everything between `<!-- figures:NAME:start -->` and
 * `<!-- figures:NAME:end -->` belongs to `npm run figures`, the rest to people.
 */
export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- figures:${name}:start -->`, end: `<!-- figures:${name}:end -->` };
}

/** The text with one section's content replaced; throws when its markers are missing or out of order. */
export function replaceSection(text: string, name: string, content: string): string {
  const { start, end } = markers(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0 || to < from || text.indexOf(start, from + 1) >= 0)
    throw new Error(`README.md needs exactly one ${start} … ${end} pair, in that order.`);
  return `${text.slice(0, from + start.length)}\n${content.trim()}\n${text.slice(to)}`;
}
