/** The nginx exporter on the web hosts, reading nginx's stub_status on loopback. */
package dev.webinfra.render.nginxexporter;
