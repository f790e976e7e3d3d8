package dev.webinfra.chaos;

import java.util.function.Consumer;

/**
 * Freeze one daemon (SIGSTOP to it and every process under it, such as haproxy's workers): a hang,
 * not a death. Its sockets stay open and its pid alive, so only a check that asks it something sees
 * it. Undo sends SIGCONT.
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
