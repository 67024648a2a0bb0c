import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import { api } from "../api/client.ts";
import { useDatasets } from "../api/queries.ts";
import type { Dataset, DatasetVersion, VerifyResult } from "../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { formatBytes, formatDate, formatNumber } from "../lib/format.ts";
import { DatasetRecords } from "./run/RecordsTable.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

const FORMATS = ["jsonl", "csv", "json"] as const;

/** Exported datasets: each version's manifest (files, sizes, checksums), verification, downloads. */
export function DatasetsPage() {
  usePageTitle("Datasets");
  const { data, error, isPending } = useDatasets();
  const { hash } = useLocation();
  useEffect(() => {
    // Links from a run point at #name: bring that dataset into view once it is rendered.
    if (hash && data)
      document.getElementById(`dataset-${decodeURIComponent(hash.slice(1))}`)?.scrollIntoView();
  }, [hash, data]);
  return (
    <section className="page">
      <header className="page-header">
        <h1>Datasets</h1>
      </header>
      {isPending && <Loading />}
      {error && <ErrorMessage error={error} title="Datasets are not available" />}
      {data?.datasets.length === 0 && (
        <Empty>No datasets yet. A scraper with an `export` step creates one.</Empty>
      )}
      {data?.datasets.map((dataset) => (
        <DatasetCard key={dataset.name} dataset={dataset} />
      ))}
    </section>
  );
}

function DatasetCard({ dataset }: { dataset: Dataset }) {
  const versions = [...dataset.versions].sort((a, b) => b.version - a.version);
  return (
    <article
      className="card"
      id={`dataset-${dataset.name}`}
      data-testid="dataset"
      data-dataset={dataset.name}
    >
      <header className="card-header">
        <strong>{dataset.name}</strong>
        <span className="muted">latest v{dataset.latest}</span>
      </header>
      {versions.map((version) => (
        <DatasetVersionRow
          key={version.version}
          name={dataset.name}
          version={version}
          latest={version.version === dataset.latest}
        />
      ))}
    </article>
  );
}

function DatasetVersionRow({
  name,
  version,
  latest,
}: {
  name: string;
  version: DatasetVersion;
  latest: boolean;
}) {
  const verify = useMutation({
    mutationFn: () =>
      api.post<VerifyResult>(`/api/datasets/${encodeURIComponent(name)}/verify?version=${version.version}`),
  });
  const base = `/api/datasets/${encodeURIComponent(name)}/versions/${version.version}/download`;
  const [browsing, setBrowsing] = useState(false);
  return (
    <details
      className="dataset-version"
      open={latest}
      data-testid="dataset-version"
      data-version={version.version}
    >
      <summary>
        <strong>v{version.version}</strong> · {formatNumber(version.records)} records ·{" "}
        {formatDate(version.createdAt)} ·{" "}
        <Link to={`/runs/${version.runId}`} className="mono">
          {version.runId}
        </Link>
      </summary>
      <div className="toolbar">
        {FORMATS.map((format) => (
          <a
            key={format}
            className="button"
            href={`${base}?format=${format}`}
            download
            data-testid={`download-${format}`}
          >
            Download {format.toUpperCase()}
          </a>
        ))}
        <button
          type="button"
          className="button"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
          data-testid="verify"
        >
          {verify.isPending ? "Verifying…" : "Verify"}
        </button>
        <button
          type="button"
          className="button"
          aria-expanded={browsing}
          onClick={() => setBrowsing(!browsing)}
          data-testid="dataset-browse"
        >
          {browsing ? "Hide records" : "Browse records"}
        </button>
        {verify.data && <VerifyOutcome result={verify.data} />}
      </div>
      {verify.error && <ErrorMessage error={verify.error} />}
      {browsing && <DatasetRecords name={name} version={version.version} />}
      <ManifestTable files={version.files} />
    </details>
  );
}

/** What verifying a version found: intact, or each problem. */
function VerifyOutcome({ result }: { result: VerifyResult }) {
  return (
    <span className={result.ok ? "text-ok" : "text-bad"} data-testid="verify-result" data-ok={result.ok}>
      {result.ok ? "✓ Intact: every file matches its checksum" : `✗ ${result.problems.join("; ")}`}
    </span>
  );
}

/** A version's files: name, size and SHA-256 checksum, as its manifest lists them. */
function ManifestTable({ files }: { files: DatasetVersion["files"] }) {
  return (
    <table className="table compact" data-testid="manifest">
      <thead>
        <tr>
          <th>File</th>
          <th className="num">Size</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.name} data-testid="manifest-file">
            <td className="mono">{file.name}</td>
            <td className="num">{formatBytes(file.bytes)}</td>
            <td className="mono small hash" title={file.sha256}>
              {file.sha256}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
