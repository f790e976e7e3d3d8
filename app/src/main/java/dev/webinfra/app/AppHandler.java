package dev.webinfra.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests: the guestbook page and API, /health for the load balancers, /metrics for
 * monitoring.
 */
public final class AppHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(AppHandler.class);
  static final String GTID_COOKIE = "wi_gtid";
  static final int PAGE_ENTRIES = 20;
  static final int MAX_LIMIT = 500;
  // domain-server-sequence: anything else in the cookie is not ours and is ignored.
  private static final Pattern GTID = Pattern.compile("[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,20}");

  private final Guestbook guestbook;
  private final HealthCheck health;
  private final String siteName;
  private final String host;
  private final PrometheusMeterRegistry metrics;
  private final Counter writes;
  private final Counter repeats;

  /** On the answer to a repeated key: the write was not made again; this is the first answer. */
  static final String REPEAT = "Idempotent-Replayed";

  AppHandler(
      Guestbook guestbook,
      HealthCheck health,
      String siteName,
      String host,
      PrometheusMeterRegistry metrics) {
    this.guestbook = guestbook;
    this.health = health;
    this.siteName = siteName;
    this.host = host;
    this.metrics = metrics;
    this.writes =
        Counter.builder("guestbook.writes")
            .description("Guestbook entries stored")
            .register(metrics);
    this.repeats =
        Counter.builder("guestbook.write.repeats")
            .description("Writes whose idempotency key was used before: answered, not stored")
            .register(metrics);
    // Started and stopped with the server, so the write prober ends before the pools close.
    addBean(health, true);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Timer.Sample sample = Timer.start(metrics);
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    Routes.Route route = Routes.route(method, path);
    response.getHeaders().put(Responses.APP_HOST, host);
    response.getHeaders().put(Responses.APP_VERSION, Responses.VERSION);
    int status;
    try {
      status = dispatch(route.key(), request, response, callback, path);
    } catch (Rejected e) {
      if (e.status() == 413) {
        // The rest of the body is still on the wire: say the connection ends here, so the client
        // does not reuse it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      status = Responses.error(response, callback, e.status(), e.getMessage());
    } catch (SQLException e) {
      String reason = Responses.describe(e);
      LOG.warn("{} {}: database error: {}", method, path, reason);
      status =
          route.key().equals(Routes.PAGE)
              ? Responses.send(
                  response,
                  callback,
                  503,
                  Responses.HTML,
                  Page.render(
                      siteName,
                      host,
                      List.of(),
                      "The guestbook's database is not available right now; try again shortly.",
                      Page.newKey()))
              : Responses.error(
                  response, callback, 503, "the database is not available: " + reason);
    } catch (IOException e) {
      // Reading the body failed: the client went away or broke the framing.
      status =
          Responses.error(
              response, callback, 400, "cannot read the request body: " + e.getMessage());
    } catch (HttpException.RuntimeException e) {
      // Jetty found the request malformed while we read it (bad chunking, bad query encoding).
      int code = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
      status = Responses.error(response, callback, code, "malformed request: " + e.getReason());
    } catch (RuntimeException e) {
      // A bug: the client gets a plain 500 without internals, the log gets the whole trace.
      LOG.error("{} {}: unexpected failure", method, path, e);
      status =
          Responses.error(response, callback, 500, "internal error on " + host + "; see its log");
    }
    sample.stop(
        Timer.builder("http.server.requests")
            .description("HTTP requests by method, route template and status")
            .tag("method", method)
            .tag("route", route.template())
            .tag("status", Integer.toString(status))
            // Buckets, so Prometheus can compute p99 across requests (histogram_quantile).
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(10))
            .register(metrics));
    return true;
  }

  private int dispatch(
      String route, Request request, Response response, Callback callback, String path)
      throws Rejected, SQLException, IOException {
    return switch (route) {
      case Routes.PAGE ->
          Responses.send(
              response,
              callback,
              200,
              Responses.HTML,
              Page.render(
                  siteName,
                  host,
                  guestbook.latest(PAGE_ENTRIES, gtidCookie(request)),
                  null,
                  Page.newKey()));
      case Routes.POST_ENTRY -> post(request, response, callback);
      case Routes.LIST_ENTRIES ->
          Responses.send(
              response,
              callback,
              200,
              Responses.JSON,
              entriesJson(guestbook.latest(limit(request), gtidCookie(request))));
      case Routes.ONE_ENTRY -> one(request, response, callback, Routes.entryId(path));
      case Routes.HEALTH -> {
        HealthCheck.Answer a = health.answer();
        yield Responses.send(response, callback, a.status(), Responses.JSON, a.body());
      }
      case Routes.METRICS ->
          Responses.send(response, callback, 200, Responses.PROMETHEUS, metrics.scrape());
      case Routes.METHOD_NOT_ALLOWED ->
          Responses.error(
              response,
              callback,
              405,
              "method " + request.getMethod() + " is not allowed on " + path);
      default -> Responses.error(response, callback, 404, "no such page: " + path);
    };
  }

  private int post(Request request, Response response, Callback callback)
      throws Rejected, SQLException, IOException {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    // The key first (the client's, else the load balancer's): a bad key is refused before the body
    // is even read, and nothing is written.
    IdempotencyKey key =
        IdempotencyKey.parse(
            request.getHeaders().get(IdempotencyKey.HEADER),
            queryParameters(request).getValue(IdempotencyKey.QUERY),
            request.getHeaders().get(IdempotencyKey.BALANCER_HEADER));
    EntryInput in = EntryInput.parse(type, RequestBody.read(request));
    Guestbook.Written w =
        guestbook.add(
            in.author(),
            in.message(),
            host,
            key,
            EntryInput.isForm(type) ? Guestbook.SEE_OTHER : Guestbook.CREATED);
    (w.repeat() ? repeats : writes).increment();
    if (!w.gtid().isEmpty()) {
      Response.addCookie(
          response,
          HttpCookie.build(GTID_COOKIE, w.gtid())
              .path("/")
              .httpOnly(true)
              .sameSite(HttpCookie.SameSite.LAX)
              .build());
    }
    if (w.repeat()) {
      response.getHeaders().put(REPEAT, "true");
    }
    // The first answer's status decides, so a repeat answers as the first write did.
    if (w.status() == Guestbook.SEE_OTHER) {
      // Post/redirect/get: a browser's reload then repeats the GET, not the write.
      response.getHeaders().put(HttpHeader.LOCATION, "/");
      return Responses.send(
          response, callback, 303, "text/plain; charset=utf-8", "stored; see /\n");
    }
    ObjectNode out = entryJson(w.entry());
    out.put("gtid", w.gtid());
    return Responses.send(response, callback, w.status(), Responses.JSON, out.toString());
  }

  private int one(Request request, Response response, Callback callback, long id)
      throws SQLException {
    Optional<Guestbook.Entry> e = guestbook.find(id, gtidCookie(request));
    return e.isPresent()
        ? Responses.send(response, callback, 200, Responses.JSON, entryJson(e.get()).toString())
        : Responses.error(response, callback, 404, "entry " + id + " does not exist");
  }

  static int limit(Request request) throws Rejected {
    return limit(queryParameters(request).getValue("limit"));
  }

  private static Fields queryParameters(Request request) throws Rejected {
    try {
      return Request.extractQueryParameters(request);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new Rejected(400, "query string is not valid URL encoding: " + e.getMessage(), e);
    }
  }

  /** The {@code limit} query parameter: 20 when absent, else 1 to 500. */
  static int limit(String value) throws Rejected {
    if (value == null) {
      return PAGE_ENTRIES;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      throw new Rejected(
          400,
          "query parameter limit must be a number from 1 to " + MAX_LIMIT + ", was '" + value + "'",
          e);
    }
    throw new Rejected(
        400,
        "query parameter limit must be a number from 1 to " + MAX_LIMIT + ", was " + value.strip());
  }

  private static String entriesJson(List<Guestbook.Entry> entries) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    entries.forEach(e -> out.add(entryJson(e)));
    return out.toString();
  }

  private static ObjectNode entryJson(Guestbook.Entry e) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("id", e.id());
    m.put("author", e.author());
    m.put("message", e.message());
    m.put("served_by", e.servedBy());
    m.put("created_at", e.createdAt().toString());
    return m;
  }

  private static String gtidCookie(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(GTID_COOKIE) && GTID.matcher(c.getValue()).matches()) {
        return c.getValue();
      }
    }
    return null;
  }
}
