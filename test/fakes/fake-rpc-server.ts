import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON-RPC endpoint on loopback that claims any chain id: for health checks, not for transactions. */
export async function startFakeRpc(options: { chainId: number; blockNumber?: number; status?: number }) {
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      if (options.status && options.status !== 200) {
        response.writeHead(options.status).end('nope');
        return;
      }
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      const result =
        method === 'eth_chainId'
          ? `0x${options.chainId.toString(16)}`
          : method === 'eth_blockNumber'
            ? `0x${(options.blockNumber ?? 7).toString(16)}`
            : null;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          result === null
            ? { jsonrpc: '2.0', id, error: { code: -32601, message: `${method} not supported` } }
            : { jsonrpc: '2.0', id, result },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
