package dev.webinfra.chaos;

import java.util.function.Consumer;

/** Cut a host's power (every process killed, links down); undo brings it back. */
record PowerCutFault(FaultSpec spec) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    String host = lab.resolve(spec.host()).name();
    record.accept(new Undo("stopped", host, ""));
    lab.powerCut(host);
    return "power-cut " + host;
  }
}
