package dev.webinfra.cli;

import dev.webinfra.events.EventLog;
import dev.webinfra.lab.Lab;
import java.time.Clock;

/** Writes an operator's command to the lab's event log, beside what the controller does. */
final class Operator {
  private Operator() {}

  static void record(Lab lab, String host, String code, String message) {
    new EventLog(lab.layout().eventLog(), Clock.systemUTC()).operator(host, code, message);
  }
}
