package dev.webinfra.chaos;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Freeze one daemon (SIGSTOP to it and every process under it, such as haproxy's workers): a hang,
 * not a death. Its sockets stay open and its pid alive, so only a check that asks it something sees
 * it. Undo sends SIGCONT.
 */
record FreezeFault(FaultSpec spec) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    String host = lab.resolve(spec.host()).name();
    List<Long> pids = lab.daemonTree(host, spec.daemon());
    String list = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
    record.accept(new Undo("cont", host, list));
    lab.signalAll(host, pids, "STOP");
    return "froze " + spec.daemon() + " on " + host + " (pids " + list + ")";
  }
}
