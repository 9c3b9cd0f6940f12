import type { Handlers } from '../core/router';
import type { StatusService } from './status-service';

export function statusHandlers(
  status: StatusService,
): Pick<Handlers, 'app:status' | 'app:pause' | 'app:resume'> {
  return {
    'app:status': () => status.get(),
    'app:pause': (request) => status.pause(request.for),
    'app:resume': () => status.resume(),
  };
}
