package dev.webinfra.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes requests: the guestbook page and API, /health for the load balancers, /metrics for monitoring. */
public final class AppHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(AppHandler.class);
  /** Bodies larger than this are refused: a guestbook entry is small. */
  static final int MAX_BODY = 16 * 1024;
  static final String GTID_COOKIE = "wi_gtid";

  private final Guestbook guestbook;
  private final String siteName;
  private final String host;
  private final PrometheusMeterRegistry metrics;
  private final Counter writes;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private volatile Health lastHealth = new Health(Instant.EPOCH, 503, "{}");

  private record Health(Instant at, int status, String body) {}

  public AppHandler(Guestbook guestbook, String siteName, String host, PrometheusMeterRegistry metrics, Clock clock) {
    this.guestbook = guestbook;
    this.siteName = siteName;
    this.host = host;
    this.metrics = metrics;
    this.clock = clock;
    this.writes = Counter.builder("guestbook.writes").description("Guestbook entries stored").register(metrics);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    String route = route(method, path);
    response.getHeaders().put("X-App-Host", host);
    int status;
    try {
      status = switch (route) {
        case "GET /" -> page(request, response, callback);
        case "POST /entries" -> post(request, response, callback);
        case "GET /api/entries" -> list(request, response, callback);
        case "GET /api/entries/{id}" -> one(request, response, callback, path);
        case "GET /health" -> health(response, callback);
        case "GET /metrics" -> send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        case "405" -> error(response, callback, 405, "method " + method + " is not allowed on " + path);
        default -> error(response, callback, 404, "no such page: " + path);
      };
    } catch (SQLException e) {
      LOG.warn("{} {}: database error: {}", method, path, e.getMessage());
      status = error(response, callback, 503, "the database is not available: " + e.getMessage());
    } catch (EntryInput.Rejected e) {
      status = error(response, callback, e.status(), e.getMessage());
    } catch (IOException e) {
      status = error(response, callback, 400, "cannot read the request: " + e.getMessage());
    }
    Timer.builder("http.server.requests").tag("method", method).tag("route", route).tag("status", Integer.toString(status))
        .register(metrics).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    return true;
  }

  /** The route template of a request, so metrics never carry raw paths. */
  static String route(String method, String path) {
    String template = switch (path) {
      case "/", "/entries", "/api/entries", "/health", "/metrics" -> path;
      default -> path.matches("/api/entries/\\d{1,18}") ? "/api/entries/{id}" : null;
    };
    if (template == null) {
      return "404";
    }
    boolean post = template.equals("/entries");
    boolean allowed = post ? method.equals("POST") : method.equals("GET") || method.equals("HEAD");
    return allowed ? (post ? "POST " : "GET ") + template : "405";
  }

  private int page(Request request, Response response, Callback callback) throws SQLException {
    List<Guestbook.Entry> entries = guestbook.latest(20, gtidCookie(request));
    return send(response, callback, 200, "text/html; charset=utf-8", Page.render(siteName, host, entries, null));
  }

  private int post(Request request, Response response, Callback callback) throws SQLException, EntryInput.Rejected, IOException {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    EntryInput in = EntryInput.parse(type, body(request));
    Guestbook.Written w = guestbook.add(in.author(), in.message(), host);
    writes.increment();
    if (!w.gtid().isEmpty()) {
      Response.addCookie(response, HttpCookie.build(GTID_COOKIE, w.gtid()).path("/").httpOnly(true).build());
    }
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      response.getHeaders().put(HttpHeader.LOCATION, "/");
      return send(response, callback, 303, "text/plain; charset=utf-8", "stored; see /\n");
    }
    Map<String, Object> out = entryJson(w.entry());
    out.put("gtid", w.gtid());
    return send(response, callback, 201, "application/json", json.writeValueAsString(out));
  }

  private int list(Request request, Response response, Callback callback) throws SQLException, IOException {
    Fields q = Request.extractQueryParameters(request);
    int limit = 20;
    String l = q.getValue("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        return error(response, callback, 400, "limit must be a number from 1 to 500, was '" + l + "'");
      }
      if (limit < 1 || limit > 500) {
        return error(response, callback, 400, "limit must be a number from 1 to 500, was " + limit);
      }
    }
    List<Map<String, Object>> out = guestbook.latest(limit, gtidCookie(request)).stream().map(AppHandler::entryJson).toList();
    return send(response, callback, 200, "application/json", json.writeValueAsString(out));
  }

  private int one(Request request, Response response, Callback callback, String path) throws SQLException, IOException {
    long id = Long.parseLong(path.substring("/api/entries/".length()));
    var e = guestbook.find(id, gtidCookie(request));
    if (e.isEmpty()) {
      return error(response, callback, 404, "no entry " + id);
    }
    return send(response, callback, 200, "application/json", json.writeValueAsString(entryJson(e.get())));
  }

  /**
   * 200 while the database that serves reads answers, so a server keeps serving pages even when the
   * writable database is out of reach; the body also says whether writes would succeed, as last seen
   * by a background probe (a dead primary can take seconds to time out, longer than a load
   * balancer waits for a check). Cached for 200 ms: two load balancers probe every server twice a second.
   */
  private int health(Response response, Callback callback) throws IOException {
    Health h = lastHealth;
    Instant now = clock.instant();
    if (now.isAfter(h.at().plusMillis(200))) {
      Map<String, Object> body = new LinkedHashMap<>();
      String read = probe(true);
      String write = writeProblem;
      boolean up = read == null;
      body.put("status", up ? "UP" : "DOWN");
      body.put("db", up ? "UP" : "DOWN");
      body.put("db_write", write == null ? "UP" : "DOWN");
      if (!up) {
        body.put("reason", read);
      } else if (write != null) {
        body.put("write_reason", write);
      }
      body.put("host", host);
      h = new Health(now, up ? 200 : 503, json.writeValueAsString(body));
      lastHealth = h;
    }
    return send(response, callback, h.status(), "application/json", h.body());
  }

  private volatile String writeProblem = "not probed yet";

  /** Probes the writable database every second, off the request path. */
  public void startWriteProbe() {
    Thread.ofVirtual().name("write-probe").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        writeProblem = probe(false);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  private String probe(boolean read) {
    try {
      if (read) {
        guestbook.pingRead();
      } else {
        guestbook.pingWrite();
      }
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static Map<String, Object> entryJson(Guestbook.Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("author", e.author());
    m.put("message", e.message());
    m.put("served_by", e.servedBy());
    m.put("created_at", e.createdAt().toString());
    return m;
  }

  private static String gtidCookie(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(GTID_COOKIE) && c.getValue().matches("[0-9]+-[0-9]+-[0-9]+")) {
        return c.getValue();
      }
    }
    return null;
  }

  // Reads at most MAX_BODY bytes, whatever the client claims in Content-Length.
  private static String body(Request request) throws EntryInput.Rejected, IOException {
    long declared = request.getLength();
    if (declared > MAX_BODY) {
      throw new EntryInput.Rejected(413, "body too large: " + declared + " bytes, at most " + MAX_BODY);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new EntryInput.Rejected(413, "body too large: more than " + MAX_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private int error(Response response, Callback callback, int status, String message) {
    try {
      return send(response, callback, status, "application/json", json.writeValueAsString(Map.of("error", message, "status", status)));
    } catch (IOException e) {
      return send(response, callback, status, "text/plain; charset=utf-8", message + "\n");
    }
  }

  private static int send(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    Content.Sink.write(response, true, body, callback);
    return status;
  }
}
