import { NotAvailablePanel } from '../components/not-available-panel';
import { PageHeader } from '../components/page-header';

export function WalletPage() {
  return (
    <>
      <PageHeader title="Wallet">Where your earnings go.</PageHeader>
      <NotAvailablePanel>
        This page will show your wallet address, your balances and the payouts you have received for renting
        out your GPU.
      </NotAvailablePanel>
    </>
  );
}
