package dev.webinfra.controller;

import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.mariadb.MariadbUnit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The one Galera question the controller asks a member, with a short timeout. */
final class ClusterSql {
  private ClusterSql() {}

  /** {@code wsrep_cluster_status} ({@code Primary}, {@code non-Primary}...), if it answered. */
  static Optional<String> clusterStatus(HostDriver driver, String member) {
    ExecResult r =
        driver.exec(
            member,
            List.of(
                "mariadb",
                "--defaults-file=" + MariadbUnit.myCnf(driver.paths(member)),
                "--connect-timeout=1",
                "-N",
                "-B",
                "-e",
                "SHOW STATUS LIKE 'wsrep_cluster_status'"),
            null,
            Duration.ofSeconds(3));
    if (!r.ok()) {
      return Optional.empty();
    }
    return r.stdout()
        .lines()
        .map(l -> l.split("\t", -1))
        .filter(f -> f.length == 2)
        .map(f -> f[1].strip())
        .findFirst();
  }
}
