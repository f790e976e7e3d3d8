package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.lab.Labs;
import dev.webinfra.site.LabState;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where {@code check} and {@code diagram} take a design from: a topology file, or with {@code
 * --lab} a running lab as it runs now (scaled, after promotions).
 */
public final class DesignSource {
  @Parameters(index = "0", arity = "0..1", paramLabel = "TOPOLOGY")
  Path topology;

  @Option(
      names = "--lab",
      paramLabel = "NAME",
      description = "Take the design of this running lab as it runs now (scaled, promoted).")
  String lab;

  /** The design: the file's, or the running lab's. */
  public Topology load() {
    if ((topology == null) == (lab == null)) {
      throw WebinfraException.invalidInput(
          "design: give either a TOPOLOGY file or --lab NAME (a running lab), not "
              + (topology == null ? "neither" : "both"));
    }
    if (topology != null) {
      return TopologyLoader.load(topology);
    }
    String name = Labs.resolve(lab);
    return new LabState(LabDrivers.LAB.layout(name)).effective(Labs.topology(name));
  }
}
