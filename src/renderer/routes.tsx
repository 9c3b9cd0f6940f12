import type { ComponentType } from 'react';
import type { NavItem } from './components/sidebar';
import { DashboardPage } from './pages/dashboard-page';
import { EarningsPage } from './pages/earnings-page';
import { GpusPage } from './pages/gpus-page';
import { JobsPage } from './pages/jobs-page';
import { SchedulePage } from './pages/schedule-page';
import { SettingsPage } from './pages/settings-page';
import { SetupPage } from './pages/setup-page';
import { WalletPage } from './pages/wallet-page';
import type { RouteId } from './router/hash-route';

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'earnings', label: 'Earnings' },
  { id: 'gpus', label: 'GPUs' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'wallet', label: 'Wallet' },
  { id: 'settings', label: 'Settings' },
];

export const PAGES: Record<RouteId, ComponentType> = {
  dashboard: DashboardPage,
  earnings: EarningsPage,
  gpus: GpusPage,
  schedule: SchedulePage,
  jobs: JobsPage,
  wallet: WalletPage,
  settings: SettingsPage,
  setup: SetupPage,
};
