import { compileRoute } from '../../../tools/localHost/routes';

describe('route templates', () => {
  it('matches a literal route case-insensitively, with or without a trailing slash', () => {
    const route = compileRoute('reports/skype-p2p-minute-counts');
    expect(route.match('reports/skype-p2p-minute-counts')).toEqual({});
    expect(route.match('Reports/SKYPE-P2P-Minute-Counts/')).toEqual({});
    expect(route.match('reports/skype-p2p-minute-counts/extra')).toBeUndefined();
    expect(route.match('reports')).toBeUndefined();
  });

  it('captures parameters, ignoring constraints, and decodes them', () => {
    expect(compileRoute('items/{id:int}/parts/{name}').match('items/42/parts/a%20b')).toEqual({
      id: '42',
      name: 'a b',
    });
  });

  it('supports optional and catch-all parameters', () => {
    const optional = compileRoute('reports/{period?}');
    expect(optional.match('reports')).toEqual({});
    expect(optional.match('reports/D7')).toEqual({ period: 'D7' });
    expect(compileRoute('files/{*path}').match('files/a/b/c.csv')).toEqual({ path: 'a/b/c.csv' });
  });

  it('treats regex characters in a literal segment literally', () => {
    expect(compileRoute('a.b').match('axb')).toBeUndefined();
    expect(compileRoute('a.b').match('a.b')).toEqual({});
  });
});
