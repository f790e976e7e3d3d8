package dev.webinfra.chaos;

import java.util.function.Consumer;

/**
 * SIGKILL one daemon, the process its supervisor runs. There is nothing to undo: bringing it back
 * is the controller's job, and the report shows from the event log how it did.
 */
record KillFault(FaultSpec spec) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    String host = lab.resolve(spec.host()).name();
    String what = lab.signal(host, spec.daemon(), "KILL", false);
    return "killed " + spec.daemon() + " on " + host + " (" + what + ")";
  }
}
