package dev.webinfra.plan;

import java.util.List;
import java.util.Optional;

/**
 * What {@code up} will do to a lab, computed before it does anything, each step with its reason.
 */
public record Plan(String lab, List<Change> changes) {
  public Plan {
    changes = List.copyOf(changes);
  }

  /** The steps that do something. */
  public List<Change> actions() {
    return changes.stream().filter(Change::changes).toList();
  }

  /** The planned change of one daemon, if the plan has it. */
  public Optional<Change> daemon(String host, String name) {
    return changes.stream()
        .filter(
            c -> c.kind() == Change.Kind.DAEMON && c.host().equals(host) && c.name().equals(name))
        .findFirst();
  }

  /** The plan as printed by {@code up --dry-run}: every action, then a count of what is kept. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    List<Change> act = actions();
    sb.append("plan for lab ")
        .append(lab)
        .append(": ")
        .append(act.size())
        .append(act.size() == 1 ? " change" : " changes")
        .append(", ")
        .append(changes.size() - act.size())
        .append(" unchanged\n");
    act.forEach(c -> sb.append("  ").append(c.describe()).append('\n'));
    return sb.toString();
  }
}
