import type { ReactNode } from 'react';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      {/* Focusable from script so a route change can move screen readers to the new page. */}
      <h1 className="page-header__title" tabIndex={-1}>
        {title}
      </h1>
      {children ? <p className="page-header__lead">{children}</p> : null}
    </header>
  );
}
