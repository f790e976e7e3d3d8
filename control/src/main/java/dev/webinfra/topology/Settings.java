package dev.webinfra.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tunable settings of one host after layering: built-in defaults, then the file's {@code
 * defaults}, then each of the host's roles in order, then the host's own {@code settings}.
 */
public record Settings(App app, Web web, Db db, Lb lb, Firewall firewall, Monitoring monitoring) {

  /**
   * Application server settings: what runs ({@code program}), its port and health path, the extra
   * environment it is given, the user it runs as and the Debian packages it needs.
   */
  public record App(
      int port,
      int heapMb,
      int poolSize,
      AppProgram program,
      String health,
      java.util.Map<String, String> env,
      String user,
      List<String> packages) {
    public App {
      Objects.requireNonNull(program, "program");
      Objects.requireNonNull(health, "health");
      env = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
      Objects.requireNonNull(user, "user");
      packages = List.copyOf(packages);
    }

    /** Our guestbook with the given sizes, as before there was an {@code app} program to pick. */
    public App(int port, int heapMb, int poolSize) {
      this(
          port,
          heapMb,
          poolSize,
          new AppProgram.Guestbook(),
          "/health",
          java.util.Map.of(),
          "webinfra",
          List.of());
    }

    /** Whether this is our own guestbook, which ships its schema and static files. */
    public boolean guestbook() {
      return program instanceof AppProgram.Guestbook;
    }
  }

  /** nginx settings; {@code backup} servers take traffic only when every active one is down. */
  public record Web(int port, int workers, boolean backup) {}

  /** MariaDB settings; without a binary log a replica cannot become a primary others follow. */
  public record Db(int port, int bufferPoolMb, boolean binlog) {}

  /** Load balancer health checks against each server's {@code /health}. */
  public record Lb(boolean healthChecks, int checkInterMs, int checkFall, int checkRise) {}

  /** The host firewall; {@code rules}, when given, replace the rules derived from the roles. */
  public record Firewall(boolean enabled, Optional<List<FirewallRule>> rules) {
    public Firewall {
      rules = rules.map(List::copyOf);
    }
  }

  /** Whether the host runs monitoring agents. */
  public record Monitoring(boolean agent) {}

  public Settings {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(lb, "lb");
    Objects.requireNonNull(firewall, "firewall");
    Objects.requireNonNull(monitoring, "monitoring");
  }
}
