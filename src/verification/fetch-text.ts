/** How the verification module reaches other sites; tests pass one that trusts their own server. */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

const NETWORK_TIMEOUT_MS = 5000;
const MAX_REMOTE_BYTES = 2 * 1024 * 1024;

/** `status` is the HTTP status of a refusal (Open Badges 2.0 marks a revoked hosted badge 410 Gone). */
export type FetchedText = { ok: true; text: string } | { ok: false; problem: string; status?: number };

/**
 * Fetches a small text document (a DID document, a status list, a registry) with a timeout and a size limit.
 * Never throws: an unreachable host, a timeout, refused TLS or an error status come back as a problem in words.
 */
export async function fetchLimitedText(fetcher: Fetcher, url: string): Promise<FetchedText> {
  let response: Response;
  try {
    response = await fetcher(url, {
      signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      redirect: 'follow',
      headers: { accept: 'application/json, application/did+json, application/ld+json, */*;q=0.5' },
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    return { ok: false, problem: `${url} could not be reached${cause ? ` (${cause})` : ''}.` };
  }
  if (!response.ok) {
    return {
      ok: false,
      problem: `${url} answered with HTTP status ${response.status}.`,
      status: response.status,
    };
  }
  const tooLarge = {
    ok: false as const,
    problem: `${url} sent more than ${MAX_REMOTE_BYTES / 1024 / 1024} MB.`,
  };
  if (Number(response.headers.get('content-length') ?? '0') > MAX_REMOTE_BYTES) return tooLarge;
  try {
    const text = await response.text();
    return text.length > MAX_REMOTE_BYTES ? tooLarge : { ok: true, text };
  } catch {
    return { ok: false, problem: `${url} stopped sending before the end.` };
  }
}
