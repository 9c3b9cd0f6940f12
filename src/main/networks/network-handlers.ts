import type { Handlers } from '../core/router';
import type { NetworkService } from './network-service';

export function networkHandlers(
  networks: NetworkService,
): Pick<Handlers, 'network:list' | 'network:add' | 'network:remove' | 'network:select' | 'network:check'> {
  return {
    'network:list': () => ({ networks: networks.list() }),
    'network:add': (request) => networks.add(request),
    'network:remove': ({ id }) => ({ networks: networks.remove(id) }),
    'network:select': ({ id }) => networks.select(id),
    'network:check': ({ id }) => networks.check(id),
  };
}
