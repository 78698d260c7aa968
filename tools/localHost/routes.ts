/**
 * Azure Functions route templates (`reports/{name}`, `{id:int}`, `{rest?}`, `{*path}`) as
 * matchers. Matching is case-insensitive, as in the host.
 */
export interface RouteMatcher {
  match(path: string): Record<string, string> | undefined;
}

export function compileRoute(template: string): RouteMatcher {
  const names: string[] = [];
  const pattern = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map((segment, index) => {
      const slash = index === 0 ? '' : '/';
      const parameter = /^\{(\*)?([A-Za-z_]\w*)(?::[^}?]+)?(\?)?\}$/.exec(segment);
      if (!parameter) return slash + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(parameter[2]!);
      if (parameter[1]) return `(?:${slash}(.*))?`;
      return parameter[3] ? `(?:${slash}([^/]+))?` : `${slash}([^/]+)`;
    })
    .join('');
  const regex = new RegExp(`^${pattern}/?$`, 'i');
  return {
    match(path) {
      const found = regex.exec(path.replace(/^\/+/, ''));
      if (!found) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        const value = found[index + 1];
        if (value !== undefined) params[name] = decodeURIComponent(value);
      });
      return params;
    },
  };
}
