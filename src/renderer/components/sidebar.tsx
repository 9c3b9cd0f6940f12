import { hrefFor, type RouteId } from '../router/hash-route';
import { MoonMark } from './moon-mark';
import { NavIcon } from './nav-icons';

export interface NavItem {
  id: RouteId;
  label: string;
}

export function Sidebar({ items, current }: { items: readonly NavItem[]; current: RouteId }) {
  return (
    <header className="sidebar">
      <a className="brand" href={hrefFor('dashboard')} aria-label="Nocturne home">
        <MoonMark />
        <span className="brand__name">Nocturne</span>
      </a>
      <nav className="nav" aria-label="Main">
        <ul className="nav__list">
          {items.map((item) => (
            <li key={item.id}>
              <a
                className="nav__link"
                href={hrefFor(item.id)}
                aria-current={item.id === current ? 'page' : undefined}
              >
                <NavIcon route={item.id} />
                <span>{item.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p className="sidebar__version">Version {__APP_VERSION__}</p>
    </header>
  );
}
