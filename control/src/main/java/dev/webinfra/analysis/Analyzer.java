package dev.webinfra.analysis;

import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The design check: what the reference documents do by hand in their "issues" sections. Each rule
 * is a pure function from the topology to findings; the rules cover single points of failure on the
 * path from a client to the data, security and monitoring gaps, quorum, maintenance downtime and
 * limits to scaling.
 */
public final class Analyzer {
  private static final List<Function<Topology, List<Finding>>> RULES =
      List.of(
          RoleSpofs::of,
          Resilience::spofs,
          Resilience::quorum,
          Takeover::semiSyncFallback,
          Takeover::healthChecks,
          Takeover::replicaPromotion,
          Security::firewall,
          FlowRules::reachability,
          FlowRules::secrets,
          Feasibility::sourceBinlog,
          Feasibility::ports,
          Feasibility::noDns,
          Feasibility::allBackup,
          LeastPrivilege::wideRules,
          Capacity::all,
          Timing::all,
          Security::https,
          Operations::monitoring,
          Operations::maintenance,
          Operations::scaling,
          Operations::oneMachine,
          OperatorSurfaces::exposed);

  private Analyzer() {}

  /** Every finding, most severe first, then by id. */
  public static List<Finding> analyze(Topology t) {
    List<Finding> out = new ArrayList<>();
    RULES.forEach(r -> out.addAll(r.apply(t)));
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /** How findings are listed: most severe first, then by id, then by hosts. */
  public static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::severity)
          .thenComparing(Finding::id)
          .thenComparing(Finding::hosts, Analyzer::compareJoined);

  // As String.join(",", a).compareTo(String.join(",", b)), without joining in every comparison:
  // sorting 50 000 findings joined their hosts a million times.
  private static int compareJoined(List<String> a, List<String> b) {
    int i = 0;
    int j = 0;
    int ia = 0;
    int jb = 0;
    while (true) {
      int ca = charAt(a, i, ia);
      int cb = charAt(b, j, jb);
      if (ca != cb) {
        return ca - cb;
      }
      if (ca == -1) {
        return 0;
      }
      if (++ia > (i < a.size() ? a.get(i).length() : 0)) {
        i++;
        ia = 0;
      }
      if (++jb > (j < b.size() ? b.get(j).length() : 0)) {
        j++;
        jb = 0;
      }
    }
  }

  // The character at position k of item i of the joined list: the item's, then a comma between
  // items, -1 past the end.
  private static int charAt(List<String> l, int i, int k) {
    if (i >= l.size()) {
      return -1;
    }
    String s = l.get(i);
    if (k < s.length()) {
      return s.charAt(k);
    }
    return i + 1 < l.size() ? ',' : -1;
  }
}
