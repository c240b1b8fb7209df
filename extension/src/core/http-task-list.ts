import { requestHeaders, taskListUrl, type BackendConfig } from './backend';
import { ApiError, AuthFailedError, HttpStatusError, UnreachableError } from './errors';

/**
 * GETs the running list and returns its body text; decoding is the caller's, so that the
 * websocket and HTTP paths share it. Maps every failure to a typed error: a network
 * failure or timeout to UnreachableError, 401 to AuthFailedError, the API's error envelope
 * (code 6808, sent with HTTP 400 by the real system) to ApiError, anything else to
 * HttpStatusError.
 */
export async function fetchTaskListText(
  backend: BackendConfig,
  token: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const url = taskListUrl(backend);

  let response: Response;
  try {
    response = await fetch(url, {
      headers: requestHeaders(backend, token),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new UnreachableError(url, { cause });
  }

  let body: string;
  try {
    body = await response.text();
  } catch (cause) {
    throw new UnreachableError(url, { cause });
  }

  if (response.ok) return body;
  if (response.status === 401) throw new AuthFailedError(url, Boolean(token));
  throw apiErrorOf(url, response.status, body) ?? new HttpStatusError(url, response.status);
}

/** The API's error envelope, if the body is one; `code` is a string on the page, later a number. */
function apiErrorOf(url: string, status: number, body: string): ApiError | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;

  const { code, message, description } = data as Record<string, unknown>;
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  if (typeof message !== 'string') return undefined;
  return new ApiError(
    url,
    status,
    String(code),
    message,
    typeof description === 'string' ? description : '',
  );
}
