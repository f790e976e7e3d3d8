package dev.webinfra.chaos;

import java.util.function.Consumer;

/**
 * SIGKILL one daemon, by the pid the lab recorded for it. There is nothing to undo: bringing it
 * back is the controller's job, and the report shows from the event log how it did.
 */
record KillFault(FaultSpec spec) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    String host = lab.resolve(spec.host()).name();
    long pid = lab.kill(host, spec.daemon());
    return "killed " + spec.daemon() + " on " + host + " (pid " + pid + ")";
  }
}
