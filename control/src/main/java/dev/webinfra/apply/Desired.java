package dev.webinfra.apply;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.topology.Host;

/** One daemon as the topology wants it: its unit, its spec on its host, and its fingerprint. */
public record Desired(Host host, DaemonUnit unit, DaemonSpec spec, Fingerprint fingerprint) {}
