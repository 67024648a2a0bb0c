import { describe, expect, it } from "vitest";
import { useFaultSite } from "./helpers.ts";

const { site, fetcher } = useFaultSite();

describe("pages decode with the right charset", () => {
  it("uses the Content-Type charset (windows-1252, € included)", async () => {
    const page = await fetcher().fetch({ url: `${site().url}/latin1` });
    expect(page.encoding).toBe("windows-1252");
    expect(page.body).toBe("<html><body>café €</body></html>");
    expect(page.invalidBytes).toBe(0);
  });

  it.each(["/meta-charset", "/meta-http-equiv"])("finds the charset in <meta> on %s", async (path) => {
    const page = await fetcher().fetch({ url: site().url + path });
    expect(page.encoding).toBe("windows-1252");
    expect(page.body).toContain("<body>café €</body>");
  });

  it("lets a BOM win over a wrong header and strips it", async () => {
    const page = await fetcher().fetch({ url: `${site().url}/bom` });
    expect(page.encoding).toBe("utf-8");
    expect(page.body).toBe("<p>héllo ✓</p>");
  });

  it("counts invalid UTF-8 bytes but not a genuine U+FFFD", async () => {
    const page = await fetcher().fetch({ url: `${site().url}/bad-utf8` });
    expect(page.encoding).toBe("utf-8");
    expect(page.invalidBytes).toBe(2);
    expect(page.body).toBe("ok\uFFFD mid \uFFFD( real \uFFFD end");
  });
});
