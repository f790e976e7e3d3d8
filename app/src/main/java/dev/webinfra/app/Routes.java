package dev.webinfra.app;

import java.util.regex.Pattern;

/** Maps a request to its route, so that dispatch and metrics never depend on raw paths. */
final class Routes {
  static final String PAGE = "GET /";
  static final String POST_ENTRY = "POST /entries";
  static final String LIST_ENTRIES = "GET /api/entries";
  static final String ONE_ENTRY = "GET /api/entries/{id}";
  static final String HEALTH = "GET /health";
  static final String METRICS = "GET /metrics";

  /** Any path the app does not serve, /static/ included: nginx serves that from disk. */
  static final String NOT_FOUND = "NOT_FOUND";

  static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

  /**
   * A request's route: {@code key} is one of this class's constants and picks the code that
   * answers; {@code template} is the path template (or {@code NOT_FOUND}), the metrics' route tag.
   */
  record Route(String key, String template) {}

  // At most 18 digits, so the id always fits a long.
  private static final Pattern ENTRY_ID = Pattern.compile("/api/entries/[0-9]{1,18}");

  private Routes() {}

  /** The route of {@code method} on {@code path}. */
  static Route route(String method, String path) {
    String template =
        switch (path) {
          case "/", "/entries", "/api/entries", "/health", "/metrics" -> path;
          default -> ENTRY_ID.matcher(path).matches() ? "/api/entries/{id}" : null;
        };
    if (template == null) {
      return new Route(NOT_FOUND, NOT_FOUND);
    }
    if (template.equals("/entries")) {
      return new Route(method.equals("POST") ? POST_ENTRY : METHOD_NOT_ALLOWED, template);
    }
    return new Route(
        method.equals("GET") || method.equals("HEAD") ? "GET " + template : METHOD_NOT_ALLOWED,
        template);
  }

  /** The id in a path that matched {@link #ONE_ENTRY}. */
  static long entryId(String path) {
    return Long.parseLong(path.substring("/api/entries/".length()));
  }
}
