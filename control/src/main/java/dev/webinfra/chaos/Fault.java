package dev.webinfra.chaos;

import java.util.function.Consumer;

/**
 * A fault that can be injected into a lab. Injection records each undo step (through {@code
 * record}, which writes it to the ledger) before taking the action it undoes, so undoing is the
 * same code whether chaos ends normally, is interrupted, or was killed and a later run cleans up;
 * it is idempotent.
 */
public interface Fault {
  /** What the scenario asked for. */
  FaultSpec spec();

  /** Injects the fault; returns what was done, for the report (which host, which pid). */
  String inject(ChaosLab lab, Consumer<Undo> record);

  /** The fault for a spec. */
  static Fault of(FaultSpec spec, int index) {
    return switch (spec.kind()) {
      case KILL -> new KillFault(spec);
      case FREEZE -> new FreezeFault(spec);
      case POWER_CUT -> new PowerCutFault(spec);
      case PARTITION -> new PartitionFault(spec, index);
      case BANDWIDTH -> new BandwidthFault(spec);
      case LATENCY -> new LatencyFault(spec, index);
    };
  }
}
