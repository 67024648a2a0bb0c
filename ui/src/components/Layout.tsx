import { NavLink, Outlet } from "react-router";
import { useConnectionState } from "../live/events.ts";

const NAV = [
  { to: "/", label: "Dashboard", end: true },
  { to: "/scrapers", label: "Scrapers" },
  { to: "/runs", label: "History" },
  { to: "/compare", label: "Compare" },
  { to: "/schedules", label: "Schedules" },
  { to: "/datasets", label: "Datasets" },
  { to: "/health", label: "Health" },
];

const CONNECTION_TEXT = { open: "Live", connecting: "Reconnecting…", closed: "Offline" };

/** The app frame: a fixed sidebar (navigation, live connection) and the page. */
export function Layout() {
  const connection = useConnectionState();
  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">trawl</div>
        <nav>
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
      </aside>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
