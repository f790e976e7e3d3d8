package dev.webinfra.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One component's state on a host: running, degraded (alive but not answering) or stopped; for the
 * app, the version it reports (X-App-Version), so a rolling deploy can be followed.
 */
public record ComponentStatus(
    String name,
    String state,
    Long pid,
    @JsonInclude(JsonInclude.Include.NON_NULL) String version) {}
