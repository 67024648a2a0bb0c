import { useEffect, useRef, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useAccess } from "../api/access.ts";
import { useAppLock } from "../lib/use-app-lock.ts";
import { useConnectionState } from "../live/events.ts";
import { LockScreen } from "./LockScreen.tsx";
import { SignInNotice } from "./SignInNotice.tsx";

const NAV = [
  { to: "/", label: "Dashboard", end: true },
  { to: "/scrapers", label: "Scrapers" },
  { to: "/runs", label: "History" },
  { to: "/compare", label: "Compare" },
  { to: "/schedules", label: "Schedules" },
  { to: "/datasets", label: "Datasets" },
  { to: "/workers", label: "Workers" },
  { to: "/health", label: "Health" },
  { to: "/audit", label: "Audit" },
  { to: "/secrets", label: "Secrets" },
];

const CONNECTION_TEXT = { open: "Live", connecting: "Reconnecting…", closed: "Offline" };

/**
 * The app frame: a fixed sidebar (navigation, live connection) and the page. At 900 px and
 * narrower the sidebar is a top bar whose Menu button shows the navigation (styles.css).
 */
export function Layout() {
  const connection = useConnectionState();
  const access = useAccess();
  const appLock = useAppLock();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  // Following a link closes the menu: the page, not the menu, is what was asked for.
  useEffect(() => setMenuOpen(false), [pathname]);
  if (access === "locked") return <LockScreen />;
  return (
    <div className="app">
      <aside
        className={menuOpen ? "sidebar menu-open" : "sidebar"}
        onKeyDown={(event) => {
          if (event.key === "Escape" && menuOpen) {
            setMenuOpen(false);
            menuButton.current?.focus();
          }
        }}
      >
        <div className="brand">trawl</div>
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
          data-testid="menu-button"
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <nav id="main-nav" aria-label="Pages">
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.end ?? false}
              className={({ isActive }) => (isActive ? "nav-link active" : "nav-link")}
              data-testid={`nav-${item.label.toLowerCase()}`}
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div
          className={`connection connection-${connection}`}
          data-testid="connection"
          data-state={connection}
        >
          <span className="dot" /> {CONNECTION_TEXT[connection]}
        </div>
        {appLock.pinSet && (
          <button
            type="button"
            className="lock-button"
            onClick={() => void appLock.lock()}
            title="Lock the app (Ctrl+Shift+L)"
            data-testid="lock-now"
          >
            Lock
          </button>
        )}
      </aside>
      <main className="content">{access === "unauthorized" ? <SignInNotice /> : <Outlet />}</main>
    </div>
  );
}
