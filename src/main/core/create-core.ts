import type { RunMode } from '../../shared/schemas/app-status';
import { acquireInstanceLock } from '../data-dir/instance-lock';
import { dataPaths } from '../data-dir/resolve-data-dir';
import { createSettingsRepository } from '../settings/settings-repository';
import { settingsHandlers } from '../settings/settings-handlers';
import { createSettingsService } from '../settings/settings-service';
import { statusHandlers } from '../status/status-handlers';
import { createStatusService } from '../status/status-service';
import { openDatabase } from '../store/open-database';
import { systemClock, type Clock } from './clock';
import { createEventBus } from './event-bus';
import { createFileLogger, type Logger } from './logger';
import { createRouter } from './router';

export interface CoreOptions {
  dataDir: string;
  mode: RunMode;
  version?: string;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The composition root: the only place that picks real adapters. Electron (`src/main/app`) and the
 * headless server both start the product through here, so they run the same core.
 */
export function createCore(options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const paths = dataPaths(options.dataDir);
  const lock = acquireInstanceLock(paths.lock);
  try {
    const logger = options.logger ?? createFileLogger(paths.log);
    const { db, migration } = openDatabase(paths.database, { now: () => clock.now() });
    if (migration.applied.length > 0)
      logger.info(`Database migrated from schema ${migration.from} to ${migration.to}`);

    const events = createEventBus();
    const settings = createSettingsService({
      repository: createSettingsRepository(db),
      clock,
      logger,
      onChange: (next) => events.emit('settings:changed', next),
    });
    const status = createStatusService({
      clock,
      mode: options.mode,
      version: options.version ?? __APP_VERSION__,
      dataDir: options.dataDir,
      schemaVersion: migration.to,
      onChange: (next) => events.emit('app:statusChanged', next),
    });
    const router = createRouter({ ...statusHandlers(status), ...settingsHandlers(settings) }, logger);

    let closed = false;
    return {
      dataDir: options.dataDir,
      router,
      events,
      settings,
      status,
      logger,
      close() {
        if (closed) return;
        closed = true;
        db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export type Core = ReturnType<typeof createCore>;
