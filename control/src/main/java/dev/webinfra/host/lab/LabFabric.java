package dev.webinfra.host.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Flow;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.host.Wire;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The lab's fabric: a bridge per network and a namespace per host ({@link LabNetwork}), the
 * machine's own table against the lab's hosts ({@link MachineFirewall}), and their removal ({@link
 * LabCleaner}), all named after the lab.
 */
public final class LabFabric implements SiteFabric {
  private final LabLayout layout;
  private final Consumer<String> progress;
  private final Function<Topology, List<Flow>> toMachine;
  private final LabCleaner cleaner;

  /**
   * The fabric of the lab laid out as {@code layout}, telling each step to {@code progress} and
   * waiting (for processes to die, mounts to go) on {@code poll}. {@code toMachine} gives the flows
   * a topology declares to the machine: the plan knows them, and this driver sits below it.
   */
  public LabFabric(
      LabLayout layout,
      Poll poll,
      Consumer<String> progress,
      Function<Topology, List<Flow>> toMachine) {
    this.layout = layout;
    this.progress = progress;
    this.toMachine = toMachine;
    this.cleaner = new LabCleaner(layout, progress, poll);
  }

  @Override
  public List<Wire> wiring(Topology t) {
    return new LabNetwork(t, layout, progress).wiring();
  }

  @Override
  public void guardMachine(Topology t) {
    new MachineFirewall(layout, progress).apply(t, toMachine.apply(t));
  }

  @Override
  public void ensure(Topology t, Set<String> stopped) {
    new LabNetwork(t, layout, progress).ensure(stopped);
  }

  @Override
  public String removeHost(Topology t, String host) {
    // Its links are named after its place in the topology the lab was wired from.
    int index = t.hosts().stream().map(Host::name).toList().indexOf(host);
    if (index < 0) {
      throw WebinfraException.unexpectedState("host " + host + ": not in lab " + t.lab());
    }
    cleaner.removeHost(host, index);
    return "host removed from the lab";
  }

  @Override
  public void down() {
    cleaner.down();
  }

  @Override
  public List<String> leftovers() {
    return cleaner.leftovers();
  }

  /** This JVM's java and class path: a lab host is a namespace of this machine. */
  @Override
  public Java java(Topology t, String host) {
    String classPath =
        java.util.Arrays.stream(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(e -> java.nio.file.Path.of(e).toAbsolutePath().toString())
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    return new Java(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        classPath);
  }
}
