import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client.ts";
import { keys, useSecrets } from "../api/queries.ts";
import type { SecretSet, SecretSummary } from "../api/types.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { formatDate } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

/** What the server accepts as a name (`TRAWL_ERR_SECURITY_SECRET_NAME` otherwise). */
const NAME_PATTERN = "[A-Za-z][A-Za-z0-9_\\-]{0,63}";

/**
 * The secrets vault: names and dates, a form that sets a value, and delete. Values are
 * write-only: the page never receives one, and its field is emptied once the value is saved.
 */
export function SecretsPage() {
  usePageTitle("Secrets");
  const { data, error, isPending } = useSecrets();
  const [editing, setEditing] = useState<string | undefined>();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Secrets</h1>
      </header>
      <p className="muted">
        Tokens and passwords your scrapers read as <code>{"{{ secret.NAME }}"}</code> in headers, cookies,
        proxy URLs and login forms. They are kept encrypted; once saved, a value cannot be shown again, only
        replaced.
      </p>
      <SecretForm name={editing} onDone={() => setEditing(undefined)} />
      {isPending && <Loading />}
      {error && <ErrorMessage error={error} title="Secrets are not available" />}
      {data?.secrets.length === 0 && <Empty>No secrets yet.</Empty>}
      {data && data.secrets.length > 0 && <SecretTable secrets={data.secrets} onChange={setEditing} />}
    </section>
  );
}

/** Sets a secret: a new one (name and value), or a new value for `name`. */
function SecretForm({ name: fixed, onDone }: { name: string | undefined; onDone(): void }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const target = fixed ?? name;
  const save = useMutation({
    mutationFn: () => api.put<SecretSet>(`/api/secrets/${encodeURIComponent(target)}`, { value }),
    onSuccess: () => {
      setValue("");
      setName("");
      onDone();
      void client.invalidateQueries({ queryKey: keys.secrets });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="filters" onSubmit={submit} data-testid="secret-form" autoComplete="off">
      {fixed === undefined ? (
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            pattern={NAME_PATTERN}
            title="a letter, then letters, digits, _ or -"
            data-testid="secret-name"
          />
        </label>
      ) : (
        <span className="field">
          <span>New value of</span>
          <strong data-testid="secret-editing">{fixed}</strong>
        </span>
      )}
      <label className="field grow">
        <span>Value (write-only)</span>
        <input
          type="password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          autoComplete="new-password"
          spellCheck={false}
          data-testid="secret-value"
        />
      </label>
      <button type="submit" className="button primary" disabled={save.isPending} data-testid="secret-save">
        {fixed === undefined ? "Add secret" : "Save value"}
      </button>
      {fixed !== undefined && (
        <button type="button" className="button" onClick={onDone} data-testid="secret-cancel">
          Cancel
        </button>
      )}
      {save.data && (
        <span role="status" data-testid="secret-saved">
          {save.data.created ? "Added" : "Changed"} {save.data.name}
        </span>
      )}
      {save.error && <ErrorMessage error={save.error} />}
    </form>
  );
}

/** The secrets by name, each with its dates, a change button and a delete button. */
function SecretTable({ secrets, onChange }: { secrets: SecretSummary[]; onChange(name: string): void }) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (name: string) => api.delete(`/api/secrets/${encodeURIComponent(name)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.secrets }),
  });
  return (
    <>
      {remove.error && <ErrorMessage error={remove.error} />}
      <table className="table" data-testid="secret-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Created</th>
            <th>Changed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {secrets.map((secret) => (
            <tr key={secret.name} data-testid="secret-row" data-secret={secret.name}>
              <td className="mono">{secret.name}</td>
              <td>{formatDate(secret.createdAt)}</td>
              <td>{formatDate(secret.updatedAt)}</td>
              <td>
                <button
                  type="button"
                  className="button small"
                  onClick={() => onChange(secret.name)}
                  data-testid="secret-change"
                >
                  Change value
                </button>{" "}
                <ConfirmButton
                  className="button small danger"
                  question={`Delete secret ${secret.name}? Scrapers that read it will no longer run.`}
                  onConfirm={() => remove.mutate(secret.name)}
                  disabled={remove.isPending}
                  testId="secret-delete"
                >
                  Delete
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
