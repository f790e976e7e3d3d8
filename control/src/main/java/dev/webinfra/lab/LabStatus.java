package dev.webinfra.lab;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The state of a whole lab, as {@code status --json} prints it. Later fields are added, never
 * removed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabStatus(
    String lab, Site site, List<HostStatus> hosts, VipStatus vip, DatabaseStatus database) {
  public LabStatus {
    hosts = List.copyOf(hosts);
  }

  /** Where the site is. */
  public record Site(List<String> names, String address, String url) {
    public Site {
      names = List.copyOf(names);
    }
  }

  /** The floating IP and the load balancer holding it (null when none does). */
  public record VipStatus(String address, String holder, List<String> holders) {
    public VipStatus(String address, List<String> holders) {
      this(address, holders.size() == 1 ? holders.get(0) : null, List.copyOf(holders));
    }
  }

  /** The database layout as it runs: who takes writes and how far behind each replica is. */
  public record DatabaseStatus(
      String topology, List<String> primaries, List<ReplicaStatus> replicas) {
    public DatabaseStatus {
      primaries = List.copyOf(primaries);
      replicas = List.copyOf(replicas);
    }
  }

  /** One replica and its lag; lag is null when replication is not running. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReplicaStatus(String host, Long lag_seconds) {}

  /** Whether every host is up and every component running. */
  public boolean healthy() {
    return hosts.stream()
        .allMatch(
            h -> h.up() && h.components().stream().allMatch(c -> c.state().equals("running")));
  }
}
