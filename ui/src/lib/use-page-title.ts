import { useEffect } from "react";

/** The product's name, after the page's in every tab title. */
const PRODUCT = "trawl";

/**
 * Titles the browser tab "`title` · trawl" while the page is shown (just "trawl" while `title`
 * is not known yet, e.g. before a run has loaded), so tabs and history entries can be told apart.
 */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT}` : PRODUCT;
  }, [title]);
}
