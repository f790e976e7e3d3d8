package dev.webinfra.witness;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The floating IP's guard on a load balancer (docs/vip.md). keepalived cannot ask a third party
 * before it takes the IP, and its own scripts run at most once a second, so this daemon answers
 * every 0.1 s through a file keepalived tracks (track_file, read on every change): 0 lets this load
 * balancer hold the IP, 1 holds it out (keepalived's FAULT state). Each round it asks this host's
 * haproxy ({@code /alive}) and the witness ({@code acquire} when MASTER, else {@code peek}) at
 * once, over kept-alive connections, and {@link GuardRound} decides. A daemon, not a shell loop:
 * ten rounds a second of curl cost each load balancer a fifth of a core.
 *
 * <p>A holder that gave the IP up because haproxy hung then resets the connections haproxy holds on
 * the IP (haproxy binds it transparent, so the resets still leave): their clients retry at the new
 * holder now instead of waiting out their timeouts on requests nobody will answer. Each change is
 * logged with its time, as seconds since the epoch.
 *
 * <p>Usage: {@code VipGuard CONFIG}, a properties file: {@code host}, {@code vip}, {@code
 * state_file} (keepalived's state, as its notify script writes it), {@code track_file}, {@code
 * alive_url}, {@code witness} (the witness's URL without a path), {@code check_timeout_ms}.
 */
public final class VipGuard {
  static final Duration ROUND = Duration.ofMillis(100);
  private static final Duration WITNESS_TIMEOUT = Duration.ofMillis(300);
  private static final String MASTER_LINE = "state=\"MASTER\"} 1";

  private final String vip;
  private final Path stateFile;
  private final Path trackFile;
  private final URI alive;
  private final URI acquire;
  private final URI peek;
  private final URI release;
  private final Duration checkTimeout;
  private final HttpClient http;

  private VipGuard(Properties p) {
    this.vip = required(p, "vip");
    this.stateFile = Path.of(required(p, "state_file"));
    this.trackFile = Path.of(required(p, "track_file"));
    this.alive = URI.create(required(p, "alive_url"));
    String witness = required(p, "witness");
    String host = required(p, "host");
    this.acquire = URI.create(witness + "/acquire?host=" + host);
    this.peek = URI.create(witness + "/peek?host=" + host);
    this.release = URI.create(witness + "/release?host=" + host);
    this.checkTimeout = Duration.ofMillis(Long.parseLong(required(p, "check_timeout_ms")));
    // haproxy's check and the witness both wait 0.3 s (the check's timeout is rendered as 300).
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WITNESS_TIMEOUT)
            .build();
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("vip-guard: the config has no " + key);
    }
    return v.strip();
  }

  /** Runs the guard until killed. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: VipGuard CONFIG (the guard's properties file)");
      System.exit(2);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      System.err.println("vip-guard: cannot read " + args[0] + ": " + e.getMessage());
      System.exit(2);
    }
    VipGuard guard;
    try {
      guard = new VipGuard(p);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + " (" + args[0] + ")");
      System.exit(2);
      return;
    }
    guard.run();
  }

  private void run() {
    int missed = 0;
    while (true) {
      boolean master = isMaster();
      URI ask = GuardRound.op(master, missed).equals("acquire") ? acquire : peek;
      CompletableFuture<Boolean> haproxy = answered(alive, checkTimeout);
      CompletableFuture<String> lease = body(ask);
      String witnessSaid = lease.join();
      GuardRound round = GuardRound.next(master, missed, haproxy.join(), witnessSaid);
      missed = round.missed();
      if (round.release()) {
        // Still holding the IP: give the lease back now (until keepalived has left MASTER), so
        // the other LB need not wait for it to expire.
        body(release).join();
      }
      String track = Integer.toString(round.track());
      if (!track.equals(readTrack())) {
        writeTrack(track);
        log("wrote " + track + ": haproxy missed " + missed + " round(s), witness: " + witnessSaid);
      }
      if (round.hungHolder()) {
        resetHungConnections();
      }
      sleep(GuardRound.pause(witnessSaid, ROUND));
    }
  }

  /** Whether keepalived's state, as its notify script wrote it, is MASTER. */
  private boolean isMaster() {
    try {
      return Files.readAllLines(stateFile).stream().anyMatch(l -> l.endsWith(MASTER_LINE));
    } catch (IOException e) {
      return false;
    }
  }

  private String readTrack() {
    try {
      return Files.readAllLines(trackFile).stream().findFirst().orElse("").strip();
    } catch (IOException e) {
      return ""; // none yet: the first round writes it
    }
  }

  private void writeTrack(String v) {
    try {
      Files.writeString(trackFile, v + "\n");
    } catch (IOException e) {
      log("cannot write " + trackFile + ": " + e.getMessage());
    }
  }

  /** Whether {@code uri} answers 200 within {@code timeout}. */
  private CompletableFuture<Boolean> answered(URI uri, Duration timeout) {
    return http.sendAsync(
            HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> r.statusCode() == 200)
        .exceptionally(e -> false);
  }

  /** The witness's answer line at {@code uri} (whatever its status), or empty without one. */
  private CompletableFuture<String> body(URI uri) {
    return http.sendAsync(
            HttpRequest.newBuilder(uri).timeout(WITNESS_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.body().strip())
        .exceptionally(e -> "");
  }

  /**
   * Waits (at most 1 s) for keepalived to leave MASTER, so that the IP is gone before the resets
   * and the clients' retries go to the other LB, not back into the hung haproxy's queue; then
   * resets every connection to the floating IP.
   */
  private void resetHungConnections() {
    boolean held = true;
    for (int i = 0; i < 50 && (held = isMaster()); i++) {
      sleep(Duration.ofMillis(20));
    }
    try {
      Process ss =
          new ProcessBuilder(List.of("ss", "-K", "-t", "-n", "state", "connected", "src", vip))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      ss.waitFor();
    } catch (IOException e) {
      log("cannot run ss: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log(
        "reset the hung haproxy's connections to "
            + vip
            + " (still MASTER: "
            + (held ? 1 : 0)
            + ")");
  }

  /** A line of the guard's log: the time as seconds since the epoch (as bash's EPOCHREALTIME). */
  private static void log(String line) {
    Instant now = Instant.now();
    System.out.printf("%d.%06d %s%n", now.getEpochSecond(), now.getNano() / 1000, line);
    System.out.flush();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("vip-guard: interrupted", e);
    }
  }
}
