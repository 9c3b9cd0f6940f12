import { useEffect } from 'react';
import { api } from '../api';
import { hrefFor } from '../router/hash-route';

/**
 * On the first run (setup not finished) the app opens on the setup instead of the Dashboard. Only an
 * address with no page in it is redirected: a link to a page is followed as it is.
 */
export function useFirstRun(): void {
  useEffect(() => {
    const hash = window.location.hash;
    if (hash !== '' && hash !== '#' && hash !== '#/') return;
    let live = true;
    api.settingsGet().then(
      (settings) => {
        if (live && !settings.setupDone && window.location.hash === hash)
          window.location.replace(hrefFor('setup'));
      },
      () => undefined, // the Dashboard shows the connection problem
    );
    return () => {
      live = false;
    };
  }, []);
}
