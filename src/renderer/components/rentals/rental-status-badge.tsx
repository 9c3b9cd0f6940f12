import type { RentalView } from '../../../shared/schemas/earnings';
import { rentalStatusWord } from '../../format/rental-format';

export function RentalStatusBadge({ status }: { status: RentalView['status'] }) {
  return (
    <span className={`badge badge--rental-${status}`} data-testid="rental-status">
      {rentalStatusWord(status)}
    </span>
  );
}
