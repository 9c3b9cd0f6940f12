import { Contract, HDNodeWallet, JsonRpcProvider, parseEther, parseUnits } from 'ethers';
import { DEVNET_MNEMONIC } from '../devnet/start-devnet';
import { UserFacingError } from '../core/router';
import { erc20Interface } from '../wallet/erc20';
import type { Connection } from './network-service';

/** The last of the devnet's public test accounts pays out test funds, so the first ones stay whole for scripts. */
const FAUCET_PATH = "m/44'/60'/0'/0/9";
export const FAUCET_ETH = '10';
export const FAUCET_TOKEN = '1000';

/** Sends test ETH and test tokens on the local devnet, and waits until both are mined. */
export async function sendDevnetFunds(connection: Connection, to: string): Promise<void> {
  const { network, url } = connection;
  if (!network.builtin) throw new UserFacingError('Test funds exist only on the local devnet.', 'networkId');
  const provider = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const faucet = HDNodeWallet.fromPhrase(DEVNET_MNEMONIC, undefined, FAUCET_PATH).connect(provider);
    const nonce = await provider.getTransactionCount(faucet.address, 'pending');
    const sent = [await faucet.sendTransaction({ to, value: parseEther(FAUCET_ETH), nonce })];
    if (network.token) {
      const token = new Contract(network.token.address, erc20Interface, faucet);
      sent.push(
        await token.getFunction('transfer')(to, parseUnits(FAUCET_TOKEN, network.token.decimals), {
          nonce: nonce + 1,
        }),
      );
    }
    await Promise.all(sent.map((tx) => tx.wait()));
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(`The devnet faucet failed: ${(error as Error).message}`);
  } finally {
    provider.destroy();
  }
}
