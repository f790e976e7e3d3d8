-- The guestbook's schema. Applied by the control plane as MariaDB's root (the app's own user can
-- only read and write rows); every statement is idempotent.
CREATE DATABASE IF NOT EXISTS webinfra CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE webinfra;
CREATE TABLE IF NOT EXISTS entries (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  author VARCHAR(64) NOT NULL,
  message VARCHAR(500) NOT NULL,
  served_by VARCHAR(64) NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- Idempotency keys: one row per keyed write, stored in the write's own transaction, so a key is
-- taken exactly when its entry exists. The primary key is the unique index that makes a repeat (or
-- two concurrent ones, on either Galera member) store one entry; status and gtid let the repeat be
-- answered as the first write was.
CREATE TABLE IF NOT EXISTS entry_keys (
  idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  entry_id BIGINT NOT NULL,
  status SMALLINT NOT NULL,
  gtid VARCHAR(64) NOT NULL DEFAULT '',
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;
