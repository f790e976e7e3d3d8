package dev.webinfra.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The dashboard's routes: the page and its assets, and the JSON and SVG the page polls. Every one
 * of them, and any path that does not exist, answers 401 and nothing else without the lab's token
 * ({@link DashboardAuth}).
 */
final class DashboardHandler extends Handler.Abstract {
  private static final System.Logger LOG = System.getLogger(DashboardHandler.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Static files, by path: classpath resource and content type. */
  static final Map<String, String[]> ASSETS =
      Map.of(
          "/",
          new String[] {"/dashboard/index.html", "text/html; charset=utf-8"},
          "/dashboard.js",
          new String[] {"/dashboard/dashboard.js", "text/javascript; charset=utf-8"},
          "/dashboard.css",
          new String[] {"/dashboard/dashboard.css", "text/css; charset=utf-8"},
          "/echarts.min.js",
          new String[] {
            "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js",
            "text/javascript; charset=utf-8"
          });

  /** What the exchange of {@code /?token=} answers: it moves to the page, leaving the token. */
  private static final String EXCHANGED =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<meta http-equiv=\"refresh\" content=\"0;url=/\"><title>webinfra</title></head>"
          + "<body><a href=\"/\">the dashboard</a></body></html>\n";

  private final DashboardData data;
  private final DashboardAuth auth;
  private final Clock clock;

  DashboardHandler(DashboardData data, DashboardAuth auth, Clock clock) {
    this.data = data;
    this.auth = auth;
    this.clock = clock;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    String path = Request.getPathInContext(request);
    response
        .getHeaders()
        .put("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.STRICT_TRANSPORT_SECURITY, "max-age=63072000");
    // The token may be in the URL of the first request: no page of ours sends it on as a Referer.
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put("X-Frame-Options", "DENY");
    boolean get = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    String query = request.getHttpURI().getQuery();
    if (get && path.equals("/") && query != null && query.startsWith("token=")) {
      return exchange(
          response, callback, Request.extractQueryParameters(request).getValue("token"));
    }
    DashboardAuth.Proof proof =
        auth.proof(
            request.getHeaders().get(HttpHeader.AUTHORIZATION),
            request.getHeaders().get(HttpHeader.COOKIE));
    if (proof == DashboardAuth.Proof.NONE) {
      return unauthorized(response, callback);
    }
    if (!get) {
      // Nothing here writes yet; whatever will (a promotion, a reload) passes this guard first.
      String own = request.getHttpURI().getScheme() + "://" + request.getHttpURI().getAuthority();
      if (!DashboardAuth.maySideEffect(proof, request.getHeaders().get(HttpHeader.ORIGIN), own)) {
        return send(response, callback, 403, "text/plain", "cross-origin request refused\n");
      }
      return send(response, callback, 405, "text/plain", "only GET\n");
    }
    try {
      String[] asset = ASSETS.get(path);
      if (asset != null) {
        return asset(response, callback, asset[0], asset[1]);
      }
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      return switch (path) {
        case "/api/status" ->
            send(
                response,
                callback,
                200,
                "application/json",
                JSON.writeValueAsString(data.status()));
        case "/api/diagram.svg" -> send(response, callback, 200, "image/svg+xml", data.svg());
        case "/api/panels" ->
            send(response, callback, 200, "application/json", JSON.writeValueAsString(Panels.ALL));
        case "/api/graph" -> graph(request, response, callback);
        default -> send(response, callback, 404, "text/plain", "no such page: " + path + "\n");
      };
    } catch (RuntimeException e) {
      // The page shows the reason and keeps polling; the log keeps the trace.
      LOG.log(System.Logger.Level.WARNING, "dashboard: " + path + " failed", e);
      return send(response, callback, 502, "text/plain", String.valueOf(e.getMessage()) + "\n");
    }
  }

  // A right token becomes the session's cookie; a wrong one is refused like no token at all.
  private boolean exchange(Response response, Callback callback, String token) {
    if (!auth.matches(token)) {
      return unauthorized(response, callback);
    }
    response.getHeaders().put(HttpHeader.SET_COOKIE, auth.setCookie(token));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    return send(response, callback, 200, "text/html; charset=utf-8", EXCHANGED);
  }

  private static boolean unauthorized(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"webinfra\"");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    return send(
        response,
        callback,
        401,
        "text/plain; charset=utf-8",
        "401: open the URL that webinfra dashboard prints\n");
  }

  private boolean graph(Request request, Response response, Callback callback) throws IOException {
    Fields q = Request.extractQueryParameters(request);
    Panels.Panel panel = Panels.byId(q.getValue("id") == null ? "" : q.getValue("id")).orElse(null);
    if (panel == null) {
      return send(response, callback, 404, "text/plain", "no such panel\n");
    }
    int minutes = parse(q.getValue("minutes"), 5, 1, 60);
    Instant end = clock.instant();
    Instant start = end.minus(Duration.ofMinutes(minutes));
    // About 150 points a series, never finer than Prometheus's 2 s scrapes.
    int step = Math.max(2, minutes * 60 / 150);
    ObjectNode out = JSON.createObjectNode();
    out.put("id", panel.id()).put("title", panel.title()).put("unit", panel.unit());
    ArrayNode series = out.putArray("series");
    for (Panels.Query query : panel.queries()) {
      Panels.addSeries(series, query, data.queryRange(query.promql(), start, end, step));
    }
    return send(response, callback, 200, "application/json", JSON.writeValueAsString(out));
  }

  private static int parse(String s, int dflt, int min, int max) {
    try {
      return s == null ? dflt : Math.max(min, Math.min(max, Integer.parseInt(s)));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static boolean asset(Response response, Callback callback, String resource, String type)
      throws IOException {
    try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        return send(response, callback, 500, "text/plain", "missing from the jar: " + resource);
      }
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
      response.write(true, ByteBuffer.wrap(in.readAllBytes()), callback);
      return true;
    }
  }

  private static boolean send(
      Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
