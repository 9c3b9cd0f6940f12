import { useSyncExternalStore } from 'react';
import { connection, type ConnectionState } from '../api';

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.get);
}
