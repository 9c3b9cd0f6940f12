import type { Handlers } from '../core/router';
import type { AvailabilityService } from './availability-service';

export function availabilityHandlers(
  availability: AvailabilityService,
): Pick<Handlers, 'schedule:get' | 'schedule:set' | 'availability:get'> {
  return {
    'schedule:get': () => availability.schedule(),
    'schedule:set': ({ timezone, slots }) => availability.setSchedule({ timezone, slots }),
    'availability:get': () => availability.view(),
  };
}
