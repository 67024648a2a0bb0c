import "./lib/locale-guard.ts";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { Loading } from "./components/Feedback.tsx";
import { Layout } from "./components/Layout.tsx";
import { connectEvents } from "./live/events.ts";
import { syncCacheWithEvents } from "./live/cache-sync.ts";
import { AuditPage } from "./pages/AuditPage.tsx";
import { ComparePage } from "./pages/ComparePage.tsx";
import { DashboardPage } from "./pages/DashboardPage.tsx";
import { DatasetsPage } from "./pages/DatasetsPage.tsx";
import { LogsPage } from "./pages/LogsPage.tsx";
import { NotFoundPage, RouteErrorPage } from "./pages/NotFoundPage.tsx";
import { ReplayPage } from "./pages/ReplayPage.tsx";
import { RunDetailPage } from "./pages/RunDetailPage.tsx";
import { RunsPage } from "./pages/RunsPage.tsx";
import { ScheduleDetailPage } from "./pages/ScheduleDetailPage.tsx";
import { SchedulesPage } from "./pages/SchedulesPage.tsx";
import { ScraperViewPage } from "./pages/ScraperViewPage.tsx";
import { ScrapersPage } from "./pages/ScrapersPage.tsx";
import { SecretsPage } from "./pages/SecretsPage.tsx";
import { WorkersPage } from "./pages/WorkersPage.tsx";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Freshness comes from the event stream, not from timers or window focus.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      retry: 1,
    },
  },
});

connectEvents();
syncCacheWithEvents(queryClient);

const router = createBrowserRouter([
  {
    path: "/",
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: "scrapers", element: <ScrapersPage /> },
      { path: "scrapers/view", element: <ScraperViewPage /> },
      { path: "runs", element: <RunsPage /> },
      { path: "runs/:id", element: <RunDetailPage /> },
      { path: "runs/:id/replay", element: <ReplayPage /> },
      { path: "compare", element: <ComparePage /> },
      { path: "schedules", element: <SchedulesPage /> },
      { path: "schedules/:id", element: <ScheduleDetailPage /> },
      { path: "datasets", element: <DatasetsPage /> },
      { path: "audit", element: <AuditPage /> },
      { path: "secrets", element: <SecretsPage /> },
      { path: "logs", element: <LogsPage /> },
      { path: "workers", element: <WorkersPage /> },
      // uPlot is only needed here: load the page (and it) on first visit.
      {
        path: "health",
        hydrateFallbackElement: <Loading />,
        lazy: async () => ({ Component: (await import("./pages/HealthPage.tsx")).HealthPage }),
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
