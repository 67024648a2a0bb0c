import { Link, useRouteError } from "react-router";
import { messageOf } from "../api/client.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

export function NotFoundPage() {
  usePageTitle("Not found");
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        There is no page here. <Link to="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}

/** Shown instead of a blank screen when a page crashes while rendering. */
export function RouteErrorPage() {
  const error = useRouteError();
  usePageTitle("Error");
  return (
    <section className="page">
      <h1>Something went wrong</h1>
      <p className="notice notice-error">{messageOf(error)}</p>
      <p>
        <a href="/">Reload the app</a>
      </p>
    </section>
  );
}
