package dev.webinfra.render.keepalived;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.witness.WitnessUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.witness.VipGuard;
import java.util.List;

/**
 * The floating IP's guard on each load balancer of a design with a witness: {@link VipGuard}, a
 * small daemon of ours that asks the witness for the lease and tells keepalived, through a tracked
 * file, whether this LB may hold the IP (docs/vip.md). keepalived's own scripts run at most once a
 * second; this answers in 0.1 s.
 */
public final class VipGuardUnit implements DaemonUnit {
  /** The unit's name. */
  public static final String NAME = "vip-guard";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return new KeepalivedUnit().runsOn(t, host) && WitnessUnit.host(t).isPresent();
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    return DaemonSpec.builder(
            host.name(),
            name(),
            WitnessUnit.smallJvm(p, VipGuard.class, KeepalivedRenderer.guardConfig(p).toString()),
            p.log().resolve("vip-guard.log"))
        .files(List.of(KeepalivedRenderer.guard(t, host, p)))
        // Ready once it has written an answer: keepalived holds the LB out until then.
        .after(KeepalivedUnit.NAME)
        .readiness(Readiness.file(KeepalivedRenderer.witnessFile(p)))
        .build();
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "lb1"));
  }
}
