import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { addFilter, setTimeRange } from '../auditlog/query/editQuery';
import { checkPathColumn } from '../auditlog/viewer/pathColumns';
import { ViewerSessions } from '../auditlog/viewer/viewerSessions';
import { VIEWER_STATUS_NOTIFICATION, viewerMethodName, type ViewerMethod, type ViewerOpenErrorData, type ViewerParams, type ViewerResult, type ViewerStatusParams } from '../protocol/logViewer';
import { ClickHouseProblem } from '../store/clickhouseProblem';
import { STORE_POLL_MS, storeViewerOpener } from '../store/viewer/openStoreViewer';
import type { SettingsStore } from './settings';

/** One handler per request of the viewer's table: the compiler checks that none is missing and each answers its result. */
type ViewerHandlers = { [M in ViewerMethod]: (params: ViewerParams<M>) => ViewerResult<M> | Promise<ViewerResult<M>> };

/** Answers the viewer's requests from its sessions (a log file's index, or a ClickHouse table) and sends their status notifications. */
export function registerViewerRequests(connection: Connection, settings: () => SettingsStore): void {
  const viewers = new ViewerSessions((sessionId, status, reset) => {
    void connection.sendNotification(VIEWER_STATUS_NOTIFICATION, { sessionId, status, reset } satisfies ViewerStatusParams);
  });
  const handlers: ViewerHandlers = {
    open: async (params) => {
      const detectors = (await settings().detectors()).selection;
      if ('path' in params) return viewers.open(params.path, detectors);
      try {
        return await viewers.openWith(storeViewerOpener(params.clickhouse, detectors), STORE_POLL_MS);
      } catch (error) {
        // The kind travels with the message: the client asks for the password again after `auth`.
        if (error instanceof ClickHouseProblem) throw new ResponseError<ViewerOpenErrorData>(LSPErrorCodes.RequestFailed, error.message, { kind: error.kind });
        throw error;
      }
    },
    query: (params) => viewers.query(params),
    rows: async ({ sessionId, start, count, paths }) => ({ start, rows: await viewers.get(sessionId).rowsWithPaths(start, count, paths) }),
    facets: ({ sessionId, fields }) => viewers.get(sessionId).facets(fields),
    timeline: ({ sessionId, buckets }) => viewers.get(sessionId).timeline(buckets),
    event: ({ sessionId, position, reveal }) => viewers.get(sessionId).event(position, reveal),
    export: ({ sessionId, format, path }) => viewers.get(sessionId).export(format, path),
    checkPath: ({ path }) => checkPathColumn(path),
    complete: ({ sessionId, text, cursor }) => viewers.get(sessionId).complete(text, cursor),
    close: ({ sessionId }) => viewers.close(sessionId),
    addFilter: ({ query, field, value, exclude }) => ({ query: addFilter(query, field, value, exclude) }),
    setTimeRange: ({ query, after, before }) => ({ query: setTimeRange(query, after, before) }),
  };
  for (const method of Object.keys(handlers) as ViewerMethod[]) {
    connection.onRequest(viewerMethodName(method), handlers[method] as (params: unknown) => unknown);
  }
}
