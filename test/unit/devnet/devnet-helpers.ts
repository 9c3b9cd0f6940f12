import { request as httpRequest } from 'node:http';
import { afterEach } from 'vitest';
import { HDNodeWallet, JsonRpcProvider } from 'ethers';
import { DEVNET_MNEMONIC, startDevnet, type Devnet } from '../../../src/main/devnet/start-devnet';
import { createMemoryLogger } from '../../fakes/memory-logger';

/** Starts devnets on free ports and stops whatever a test left running. */
export function useDevnets() {
  const running: { devnet: Devnet; providers: JsonRpcProvider[] }[] = [];
  afterEach(async () => {
    for (const { devnet, providers } of running.splice(0)) {
      for (const provider of providers) provider.destroy();
      await devnet.stop();
    }
  });
  return async (dataDir: string, options: { reset?: boolean } = {}) => {
    const logger = createMemoryLogger();
    const devnet = await startDevnet({ dataDir, port: 0, logger, ...options });
    const providers: JsonRpcProvider[] = [];
    running.push({ devnet, providers });
    const provider = () => {
      const made = new JsonRpcProvider(devnet.url, devnet.chainId, { staticNetwork: true });
      made.pollingInterval = 20;
      providers.push(made);
      return made;
    };
    return { devnet, logger, provider };
  };
}

/** The funded test account `index`, from the public test mnemonic. */
export function testWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(DEVNET_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  json: () => unknown;
}

/** A raw HTTP request, headers and all (fetch would not let a test set Host). */
export function rawPost(
  url: string,
  body: string | Buffer | null,
  options: { method?: string; headers?: Record<string, string | number> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'POST',
        headers: { 'Content-Type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before the whole body is sent: that answer is what counts.
    req.on('error', reject);
    if (body !== null) req.write(body, () => undefined);
    req.end();
  });
}

export async function rpc(url: string, payload: unknown): Promise<unknown> {
  const response = await rawPost(url, JSON.stringify(payload));
  return response.json();
}
