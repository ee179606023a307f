/** What a page-API handler knows about the call. `origin` comes from the browser, never the page. */
export interface PageCallContext {
  origin: string;
  requestId: string;
  params: unknown;
}

export type PageHandler = (ctx: PageCallContext) => Promise<unknown>;
