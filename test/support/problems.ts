/** A response as the shared endpoints return it (structurally an HttpResponseInit). */
export interface AnyResponse {
  status?: number;
  headers?: Record<string, string> | unknown;
  body?: unknown;
}

/**
 * The RFC 9457 problem a response carries, after checking it is one: the status, the media type,
 * the standard members, and nothing internal (no stack trace, no account key).
 */
export function problemOf(response: AnyResponse, status: number) {
  expect(response.status).toBe(status);
  const headers = response.headers as Record<string, string>;
  expect(headers['Content-Type']).toBe('application/problem+json');
  const text = String(response.body);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toMatch(/AccountKey=|SharedAccessSignature=|[?&]sig=/i);
  const problem = JSON.parse(text) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    [extension: string]: unknown;
  };
  expect(problem).toMatchObject({
    type: expect.stringMatching(/^urn:graph-usage-reports:problem:/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  return problem;
}

/** A function's 400 problem naming `parameter`, logged on its invocation as a warning. */
export function expectLoggedRefusal(
  response: AnyResponse & { logs: readonly unknown[] },
  parameter: string,
) {
  expect(problemOf(response, 400).parameter).toBe(parameter);
  expect(response.logs).toContainEqual({
    level: 'warning',
    message: expect.stringContaining('400 Invalid request parameter'),
  });
}
