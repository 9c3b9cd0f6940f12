import type { PaymentState } from '../../shared/schemas/earnings';

// Words, not only colour: where the money of a rental stands.
const words: Record<PaymentState, string> = {
  none: 'Nothing signed',
  signed: 'Signed, paid out when the job ends',
  pending: 'Awaiting redemption',
  settled: 'Settled',
};

export const paymentWords = (state: PaymentState) => words[state];
