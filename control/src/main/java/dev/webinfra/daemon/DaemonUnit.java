package dev.webinfra.daemon;

import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything webinfra knows about one kind of daemon: where it runs, the sockets it binds and the
 * flows it takes (which the firewall opens and the design check follows), and (through its {@link
 * DaemonSpec}) its files, command line, readiness, reload and what to do before it starts; what
 * Prometheus scrapes of it, the row of the design diagram it colours, and the cases its golden
 * files are kept for. Adding a daemon means one package with its unit and renderer, and one line in
 * {@code plan.Units}: nothing else lists daemons.
 */
public interface DaemonUnit {

  /** The daemon's name in plans, status and {@code logs HOST NAME}: {@code haproxy}. */
  String name();

  /** Whether the daemon runs on {@code host} of {@code t}. */
  boolean runsOn(Topology t, Host host);

  /** The Debian packages the daemon comes from; setup installs them with the lab's tools. */
  default List<String> packages() {
    return List.of();
  }

  /**
   * The flows from other hosts that this daemon on {@code host} needs for the design to work. It is
   * asked of every host, not only those it {@link #runsOn}: a design can need a flow to a host that
   * nothing can reach, and the design check must see it to say so.
   */
  default List<Flow> inbound(Topology t, Host host) {
    return List.of();
  }

  /**
   * Flows the firewall opens to this daemon ahead of need, beyond {@link #inbound}: a database port
   * open to every server that could be promoted, so that a failover does not wait for a firewall
   * change.
   */
  default List<Flow> standby(Topology t, Host host) {
    return List.of();
  }

  /**
   * The flows from this daemon on {@code host} to the machine itself (the lab's host, or the
   * controller's), with {@code to} set to {@link Flow#MACHINE}: an Alertmanager posting to the
   * controller's webhook. The machine drops every other connection a lab host opens to it.
   */
  default List<Flow> toMachine(Topology t, Host host) {
    return List.of();
  }

  /** The sockets the daemon binds on {@code host}, as its rendered config says. */
  default List<Listener> listeners(Topology t, Host host) {
    return List.of();
  }

  /**
   * Statements the database's writable server runs when the database is set up, for the account
   * this daemon needs; {@code {{secret:NAME}}} stands for the lab's secret NAME as an SQL string.
   * Replication and Galera carry the account to the other servers. Empty: it needs none.
   */
  default List<String> databaseAccounts(Topology t) {
    return List.of();
  }

  /** What the daemon is on one host; a pure function of the model and the host's paths. */
  DaemonSpec spec(Topology t, Host host, HostPaths paths);

  /**
   * What the monitoring host {@code monitor} scrapes of this daemon on {@code host}, which it
   * {@link #runsOn}: none when {@code monitor} cannot reach it. The firewall learns of the scrapes
   * from {@link #inbound}, which must name the same ports.
   */
  default List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return List.of();
  }

  /**
   * The text by which the design diagram's row for this daemon is found, for the dashboard to
   * colour it by the daemon's state: {@code (HAProxy)}. Empty: the diagram draws no row of its own
   * for it.
   */
  default Optional<String> diagramLabel() {
    return Optional.empty();
  }

  /**
   * The preset hosts whose spec and rendered files the golden tests keep for this daemon, beyond
   * the command line that every preset host it runs on gets. A daemon that renders files declares
   * at least one.
   */
  default List<GoldenCase> goldenCases() {
    return List.of();
  }

  /** Every address of {@code host}, for a daemon that binds them all. */
  static Set<Ipv4> allAddresses(Host host) {
    return host.attachments().stream().map(Attachment::address).collect(Collectors.toSet());
  }

  /**
   * One endpoint a monitoring host scrapes: a job (the {@code job} label of its series), the host
   * it is about (the {@code instance} label), where it answers, and the labels it adds.
   */
  record ScrapeTarget(
      String job,
      String host,
      String address,
      int port,
      String path,
      String scheme,
      Map<String, String> labels) {
    /** The metrics path every exporter serves by default. */
    public static final String METRICS = "/metrics";

    public ScrapeTarget {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(path, "path");
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "scrape target " + job + "/" + host + ": scheme " + scheme + ", not http or https");
      }
      if (labels.containsKey("instance")) {
        throw new IllegalArgumentException(
            "scrape target " + job + "/" + host + ": the instance label is the host's name");
      }
      labels = Map.copyOf(labels);
    }

    /**
     * A target of {@code job} on {@code host}'s {@code address:port}, {@code /metrics}, no labels.
     */
    public static ScrapeTarget of(String job, Host host, String address, int port, boolean tls) {
      return new ScrapeTarget(
          job, host.name(), address, port, METRICS, tls ? "https" : "http", Map.of());
    }

    /** Whether it is scraped over TLS. */
    public boolean tls() {
      return scheme.equals("https");
    }

    /** {@code address:port}. */
    public String endpoint() {
      return address + ":" + port;
    }
  }

  /** A golden case: a host of a preset topology ({@code topologies/PRESET.yaml}). */
  record GoldenCase(String preset, String host) {
    public GoldenCase {
      Objects.requireNonNull(preset, "preset");
      Objects.requireNonNull(host, "host");
    }
  }
}
