package dev.webinfra.chaos;

import java.util.function.Consumer;

/**
 * Freeze one daemon (SIGSTOP to every process of it, such as haproxy's workers with their master):
 * a hang, not a death. Its sockets stay open and its processes alive, so only a check that asks it
 * something sees it. Undo sends SIGCONT.
 */
record FreezeFault(FaultSpec spec) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    String host = lab.resolve(spec.host()).name();
    record.accept(new Undo("cont", host, spec.daemon()));
    String what = lab.signal(host, spec.daemon(), "STOP", true);
    return "froze " + spec.daemon() + " on " + host + " (" + what + ")";
  }
}
