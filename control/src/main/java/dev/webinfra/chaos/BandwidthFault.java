package dev.webinfra.chaos;

import java.util.List;
import java.util.function.Consumer;

/** Cap a host's link with a token bucket filter; undo deletes the root qdisc. */
record BandwidthFault(FaultSpec spec) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    String host = lab.resolve(spec.host()).name();
    record.accept(new Undo("qdisc", host, spec.link()));
    // The bucket holds a few full-size packets, and a packet waits at most 400 ms before it drops.
    lab.run(
        host,
        "tc tbf on " + spec.link(),
        List.of(
            "tc",
            "qdisc",
            "replace",
            "dev",
            spec.link(),
            "root",
            "tbf",
            "rate",
            spec.rate(),
            "burst",
            "32kbit",
            "latency",
            "400ms"),
        null);
    return "capped " + host + "'s link to " + spec.link() + " at " + spec.rate();
  }
}
