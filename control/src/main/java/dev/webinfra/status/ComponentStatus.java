package dev.webinfra.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One component's state on a host: running, degraded (alive but not answering) or stopped; for the
 * app, the version it reports (X-App-Version), so a rolling deploy can be followed.
 *
 * @param instance what identifies the running instance ({@code pid 1234} in the lab), so that a
 *     restart shows; null when stopped
 */
public record ComponentStatus(
    String name,
    String state,
    String instance,
    @JsonInclude(JsonInclude.Include.NON_NULL) String version) {}
