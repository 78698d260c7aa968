/** Reading the dashboard page's HTML back as a browser would, for the page's and endpoint's tests. */

/** The text of an attribute value, with the entities the renderer escapes decoded. */
export function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every URL in an href or src attribute, decoded, in the order of the page. */
export function attributeUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => decodeEntities(match[1]!));
}

/** The configuration the script starts from, read back the way the browser's JS engine would. */
export function scriptConfig(html: string): Record<string, unknown> {
  const literal = /var DASHBOARD = (.*);\n/.exec(html)![1]!;
  return JSON.parse(literal) as Record<string, unknown>;
}
