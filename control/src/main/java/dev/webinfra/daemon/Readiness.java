package dev.webinfra.daemon;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a started daemon is ready: what a service manager waits for before it starts what comes
 * after. Each kind is a fact about the daemon (its page answers, its socket is connected, its
 * database is in the cluster), declared once by its unit; {@link #command()} is the one place that
 * turns each kind into a probe run inside the host, whatever supervisor runs it.
 */
public sealed interface Readiness {

  /** The probe as a command run inside the host: exit 0 means ready. */
  List<String> command();

  /** Ready at once: the daemon has nothing to probe. */
  static Readiness none() {
    return new None();
  }

  /** Ready once {@code url} answers with a success status within a second. */
  static Readiness http(String url) {
    return new Http(url, false, Optional.empty());
  }

  /**
   * Ready once {@code url} answers at all (any status: a page behind it may still be starting),
   * over TLS checked against {@code ca} if given.
   */
  static Readiness answers(String url, Optional<Path> ca) {
    return new Http(url, true, ca);
  }

  /** Ready once the process whose pid is in {@code pidFile} is alive. */
  static Readiness pidFile(Path pidFile) {
    return new PidFile(pidFile);
  }

  /** Ready once {@code file} exists and is not empty. */
  static Readiness file(Path file) {
    return new FileWritten(file);
  }

  /** Ready once a TCP socket listens on {@code address}:{@code port}. */
  static Readiness listening(String address, int port) {
    return new Listening(address, port);
  }

  /** Ready once a TCP connection to or from local {@code port} is established. */
  static Readiness connected(int port) {
    return new Connected(port);
  }

  /** Ready once the DNS server at {@code server} resolves {@code name} to {@code address}. */
  static Readiness resolves(String server, String name, String address) {
    return new Resolves(server, name, address);
  }

  /** Ready once the MariaDB server of {@code defaultsFile} answers a ping. */
  static Readiness sqlPing(Path defaultsFile) {
    return new Sql(defaultsFile, Optional.empty());
  }

  /** Ready once the MariaDB server of {@code defaultsFile} has status {@code variable} ON. */
  static Readiness sqlStatusOn(Path defaultsFile, String variable) {
    return new Sql(defaultsFile, Optional.of(variable));
  }

  /** Ready at once. */
  record None() implements Readiness {
    @Override
    public List<String> command() {
      return List.of("true");
    }
  }

  /**
   * An HTTP(S) page answers within a second: with a success status, or with any status if {@code
   * anyStatus}; an HTTPS page's certificate is checked against {@code ca} when given.
   */
  record Http(String url, boolean anyStatus, Optional<Path> ca) implements Readiness {
    public Http {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(ca, "ca");
    }

    /**
     * A plain-HTTP page is asked by bash itself ({@link #HTTP_PROBE}): a start is probed ten times
     * a second, and a curl cost about 25 ms of CPU each (its libraries), bash a third of it. HTTPS
     * takes curl, which checks the certificate, and so does an IPv6 literal, which {@code /dev/tcp}
     * takes without its brackets and the Host header with them.
     */
    @Override
    public List<String> command() {
      URI u = URI.create(url);
      if ("http".equals(u.getScheme())
          && ca.isEmpty()
          && u.getHost() != null
          && !u.getHost().startsWith("[")) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
          path += "?" + u.getRawQuery();
        }
        return List.of(
            "timeout",
            "2",
            "bash",
            "-c",
            HTTP_PROBE,
            "http-probe",
            u.getHost(),
            Integer.toString(u.getPort() < 0 ? 80 : u.getPort()),
            path,
            anyStatus ? "any" : "success");
      }
      List<String> cmd = new ArrayList<>(List.of("curl", anyStatus ? "-s" : "-sf"));
      cmd.addAll(List.of("-o", "/dev/null", "--max-time", "1"));
      ca.ifPresent(c -> cmd.addAll(List.of("--cacert", c.toString())));
      cmd.add(url);
      return List.copyOf(cmd);
    }
  }

  /**
   * GET {@code $3} from {@code $1}:{@code $2} over bash's {@code /dev/tcp}: exit 0 when the status
   * line comes within a second and is a success (2xx, 3xx, as {@code curl -f}), or any status if
   * {@code $4} is {@code any}. {@code timeout 2} bounds a connect that gets no answer.
   */
  static final String HTTP_PROBE =
      "exec 3<>\"/dev/tcp/$1/$2\" || exit 1; "
          + "printf 'GET %s HTTP/1.0\\r\\nHost: %s:%s\\r\\n\\r\\n' \"$3\" \"$1\" \"$2\" >&3"
          + " || exit 1; "
          + "read -r -t 1 proto code _ <&3 || exit 1; "
          + "case $proto in HTTP/1.[01]) ;; *) exit 1 ;; esac; "
          + "case $code in [23][0-9][0-9]*) exit 0 ;; [1-5][0-9][0-9]*) [ \"$4\" = any ] ;; "
          + "*) exit 1 ;; esac";

  /** The process whose pid a daemon writes to {@code path} is alive. */
  record PidFile(Path path) implements Readiness {
    public PidFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public List<String> command() {
      return List.of("sh", "-c", "kill -0 \"$(cat " + path + ")\"");
    }
  }

  /** A file the daemon writes exists and is not empty. */
  record FileWritten(Path path) implements Readiness {
    public FileWritten {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public List<String> command() {
      return List.of("test", "-s", path.toString());
    }
  }

  /** A TCP socket listens on {@code address}:{@code port}. */
  record Listening(String address, int port) implements Readiness {
    public Listening {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public List<String> command() {
      return List.of("sh", "-c", "ss -Hltn src " + address + ":" + port + " | grep -q .");
    }
  }

  /** A TCP connection to or from local {@code port} is established. */
  record Connected(int port) implements Readiness {
    @Override
    public List<String> command() {
      return List.of(
          "sh",
          "-c",
          "ss -Htn state established '( sport = :"
              + port
              + " or dport = :"
              + port
              + " )' | grep -q .");
    }
  }

  /** The DNS server at {@code server} resolves {@code name} to {@code address}. */
  record Resolves(String server, String name, String address) implements Readiness {
    public Resolves {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
    }

    @Override
    public List<String> command() {
      return List.of(
          "sh",
          "-c",
          "dig +short +time=1 +tries=1 @" + server + " " + name + " | grep -qxF " + address);
    }
  }

  /**
   * The MariaDB server that {@code defaultsFile} connects to answers a ping, or, with {@code
   * statusOn}, has that status variable ON (a Galera member is ready once it has joined and synced,
   * not when it answers).
   */
  record Sql(Path defaultsFile, Optional<String> statusOn) implements Readiness {
    public Sql {
      Objects.requireNonNull(defaultsFile, "defaultsFile");
      Objects.requireNonNull(statusOn, "statusOn");
      statusOn.ifPresent(
          v -> {
            if (!v.matches("[a-z_]+")) {
              throw new IllegalArgumentException("status variable " + v + ": not a plain name");
            }
          });
    }

    @Override
    public List<String> command() {
      return statusOn
          .map(
              v ->
                  List.of(
                      "sh",
                      "-c",
                      "mariadb --defaults-file="
                          + defaultsFile
                          + " --connect-timeout=1 -N -B -e \"SHOW STATUS LIKE '"
                          + v
                          + "'\" | grep -q ON"))
          .orElseGet(
              () ->
                  List.of(
                      "mariadb-admin",
                      "--defaults-file=" + defaultsFile,
                      "--connect-timeout=1",
                      "ping"));
    }
  }
}
