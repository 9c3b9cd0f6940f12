import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether Linux's PCI bus has a display controller (class 0x03: VGA, 3D or other display), read from sysfs
 * without spawning anything; null where sysfs cannot say (not Linux, or no /sys). systeminformation looks
 * for the same controllers through lspci: a machine without any has no GPU to read, and need not load it.
 */
export function hasDisplayController(root = '/sys/bus/pci/devices'): boolean | null {
  let devices: string[];
  try {
    devices = readdirSync(root);
  } catch {
    return null;
  }
  return devices.some((device) => {
    try {
      return readFileSync(`${root}/${device}/class`, 'utf8').trim().startsWith('0x03');
    } catch {
      return false;
    }
  });
}
