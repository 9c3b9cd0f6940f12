export function installedElectronPath(): string | null;
export function tryDownloadElectron(): boolean;
