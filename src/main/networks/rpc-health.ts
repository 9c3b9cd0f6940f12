import type { NetworkHealth } from '../../shared/schemas/network';

/** One JSON-RPC call over HTTP with a deadline; errors are worded for the owner. */
export async function rpcCall(
  url: string,
  method: string,
  params: unknown[],
  timeoutMs = 5000,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === 'TimeoutError')
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`, { cause: error });
    throw new Error(`Could not reach ${url}${cause ? ` (${cause})` : ''}`, { cause: error });
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  let body: { result?: unknown; error?: { message?: string } };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new Error(`${url} did not answer with JSON-RPC`);
  }
  if (body.error) throw new Error(`${url} refused ${method}: ${body.error.message ?? 'unknown error'}`);
  return body.result;
}

function hexNumber(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]+$/.test(value))
    throw new Error(`the RPC's ${what} is not a hex number`);
  return Number.parseInt(value, 16);
}

/** Whether an RPC answers, and answers for the chain the owner expects. */
export async function checkRpc(
  url: string,
  expectedChainId: number,
  timeoutMs = 5000,
): Promise<NetworkHealth> {
  const started = performance.now();
  try {
    const chainId = hexNumber(await rpcCall(url, 'eth_chainId', [], timeoutMs), 'chain id');
    const blockNumber = hexNumber(await rpcCall(url, 'eth_blockNumber', [], timeoutMs), 'block number');
    const latencyMs = Math.round(performance.now() - started);
    if (chainId !== expectedChainId) {
      return {
        ok: false,
        rpcUrl: url,
        chainId,
        blockNumber,
        latencyMs,
        error: `${url} serves chain id ${chainId}, not ${expectedChainId}: it is another network.`,
      };
    }
    return { ok: true, rpcUrl: url, chainId, blockNumber, latencyMs, error: null };
  } catch (error) {
    return {
      ok: false,
      rpcUrl: url,
      chainId: null,
      blockNumber: null,
      latencyMs: null,
      error: `${(error as Error).message}.`,
    };
  }
}
