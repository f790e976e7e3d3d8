/**
 * Alertmanager on the monitoring hosts: grouping by host and incident, inhibition by {@code
 * HostDown}, and notifications to the controller's webhook and the topology's own.
 */
package dev.webinfra.render.alertmanager;
