package dev.webinfra.database;

import dev.webinfra.WebinfraException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Galera member may start a new cluster once every member died: never one that is behind
 * another, since the others would then throw away their newer, acknowledged writes when they join
 * it by state transfer. Pure rules; reading the positions is the caller's.
 */
public final class GaleraBootstrap {
  private GaleraBootstrap() {}

  /**
   * One member's last committed position, as {@code grastate.dat} or {@code --wsrep-recover} gives
   * it.
   *
   * @param member the member's host
   * @param back its host runs, so it can be started now
   * @param running its server runs already, without a primary component (a split with no quorum)
   * @param uuid the cluster's state UUID it belongs to ("" if unknown)
   * @param seqno its last committed seqno; -1 when unknown (crashed and not recovered yet, or its
   *     host is down so it could not be recovered)
   */
  public record Position(String member, boolean back, boolean running, String uuid, long seqno) {
    boolean known() {
      return seqno >= 0;
    }

    @Override
    public String toString() {
      return member + " " + (known() ? uuid + ":" + seqno : "unknown");
    }
  }

  /** What to do: bootstrap a member, or wait for one that may be more advanced. */
  public sealed interface Decision {
    /** Bootstrap {@code member}; {@code warning} says what that may lose ("" when nothing). */
    record Bootstrap(String member, String warning) implements Decision {}

    /** Bootstrap nothing yet: {@code waitingFor} may be ahead of every member that is back. */
    record Wait(List<String> waitingFor, String message) implements Decision {
      public Wait {
        waitingFor = List.copyOf(waitingFor);
      }
    }
  }

  /**
   * The decision for {@code members}; {@code forced} is an operator's {@code db bootstrap HOST
   * --force}, which is obeyed with a warning naming what it may lose.
   */
  public static Decision decide(List<Position> members, Optional<String> forced) {
    return decide(members, forced, Optional.empty());
  }

  /**
   * As {@link #decide(List, Optional)}, with the members of the last primary component the
   * arbitrator saw while it ran without a restart since ({@code arbitratorLastPrimary}). A member
   * outside that component cannot be ahead of one inside it: it left an earlier view whose every
   * write the members that went on also hold, and no primary component can have formed since
   * without the arbitrator's vote, which would have shown in its log. So a member power-cut first
   * need not be waited for when the one cut last is back.
   */
  public static Decision decide(
      List<Position> members,
      Optional<String> forced,
      Optional<Set<String>> arbitratorLastPrimary) {
    if (forced.isPresent()) {
      String f = forced.get();
      Position chosen =
          members.stream()
              .filter(p -> p.member().equals(f))
              .findFirst()
              .orElseThrow(
                  () ->
                      WebinfraException.invalidInput(
                          "db bootstrap: host "
                              + f
                              + " is no Galera member; members: "
                              + members.stream().map(Position::member).toList()));
      List<Position> ahead =
          members.stream()
              .filter(p -> !p.member().equals(f))
              .filter(p -> !p.known() || !chosen.known() || p.seqno() > chosen.seqno())
              .toList();
      return new Decision.Bootstrap(
          f,
          ahead.isEmpty()
              ? ""
              : "forced: bootstrapping "
                  + chosen
                  + " may lose the writes that "
                  + describe(ahead)
                  + " hold(s) beyond it; they are discarded when they join by state transfer");
    }
    List<Position> split = members.stream().filter(Position::running).toList();
    if (!split.isEmpty()) {
      // A member that still runs may form a primary component again with the others' help; a new
      // cluster beside it would be a split brain.
      return new Decision.Wait(
          split.stream().map(Position::member).toList(),
          "database: no quorum: "
              + describe(split)
              + " run(s) without a primary component; not bootstrapping another cluster beside"
              + " it; restore the links, or force with `webinfra db bootstrap HOST --force` once"
              + " no other member can take a write");
    }
    List<Position> back = members.stream().filter(Position::back).toList();
    Optional<Position> best =
        back.stream().filter(Position::known).max(Comparator.comparingLong(Position::seqno));
    List<Position> maybeAhead =
        members.stream()
            .filter(p -> best.isEmpty() || !p.member().equals(best.get().member()))
            .filter(p -> !p.known() || p.seqno() > best.map(Position::seqno).orElse(-1L))
            .filter(
                p ->
                    p.back()
                        || best.isEmpty()
                        || arbitratorLastPrimary.isEmpty()
                        || !arbitratorLastPrimary.get().contains(best.get().member())
                        || arbitratorLastPrimary.get().contains(p.member()))
            .toList();
    if (best.isEmpty() || !maybeAhead.isEmpty()) {
      List<String> names = maybeAhead.stream().map(Position::member).toList();
      return new Decision.Wait(
          names,
          "database: not bootstrapping the Galera cluster: "
              + describe(maybeAhead)
              + " may be more advanced than "
              + (best.isEmpty() ? "any member that is back" : best.get().toString())
              + "; waiting for "
              + String.join(", ", names)
              + " (start it), or force with `webinfra db bootstrap HOST --force`, which may lose"
              + " its newer writes");
    }
    return new Decision.Bootstrap(best.get().member(), "");
  }

  private static String describe(List<Position> ps) {
    return ps.stream()
        .map(p -> p + (p.back() ? "" : " (not back)"))
        .collect(Collectors.joining(", "));
  }
}
