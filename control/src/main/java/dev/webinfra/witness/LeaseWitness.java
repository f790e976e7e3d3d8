package dev.webinfra.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The witness daemon: serves one {@link Lease} over HTTP, so that two load balancers that cannot
 * hear each other still agree on which one holds the floating IP. {@code GET /acquire?host=lb1}
 * takes or renews the lease, {@code GET /peek?host=lb2} asks without taking, {@code GET
 * /release?host=lb1} gives it up; each answers one line ({@code ok HOLDER} with 200, or {@code held
 * HOLDER} with 409).
 *
 * <p>Usage: {@code LeaseWitness ADDRESS:PORT TTL_MS}.
 */
public final class LeaseWitness {
  private static final Pattern HOST = Pattern.compile("host=([a-z0-9][a-z0-9-]{0,62})");

  private LeaseWitness() {}

  /** Runs the witness until killed. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !args[0].contains(":") || !args[1].matches("[1-9][0-9]{0,5}")) {
      System.err.println("usage: LeaseWitness ADDRESS:PORT TTL_MS (such as 198.18.7.30:8407 600)");
      System.exit(2);
    }
    String address = args[0].substring(0, args[0].lastIndexOf(':'));
    int port = Integer.parseInt(args[0].substring(args[0].lastIndexOf(':') + 1));
    Lease lease = new Lease(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(args[1])));
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext("/acquire", x -> answer(x, lease, "acquire"));
    server.createContext("/peek", x -> answer(x, lease, "peek"));
    server.createContext("/release", x -> answer(x, lease, "release"));
    // One thread: the lease is tiny, and answers must not queue behind a pool's start-up.
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
    System.out.println(
        "witness: serving the floating IP's lease on " + args[0] + ", ttl " + args[1] + " ms");
  }

  private static void answer(HttpExchange x, Lease lease, String op) throws IOException {
    try (x) {
      String q = x.getRequestURI().getRawQuery();
      var m = HOST.matcher(q == null ? "" : q);
      if (!m.matches()) {
        send(x, 400, "bad request: expected ?host=NAME\n");
        return;
      }
      String host = m.group(1);
      Lease.Answer a =
          switch (op) {
            case "acquire" -> lease.acquire(host);
            case "release" -> lease.release(host);
            default -> lease.peek(host);
          };
      send(x, a.ok() ? 200 : 409, a.line() + "\n");
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }
}
