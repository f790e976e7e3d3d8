/** mysqld_exporter on the database hosts, with its own least-privilege MariaDB account. */
package dev.webinfra.render.mysqldexporter;
